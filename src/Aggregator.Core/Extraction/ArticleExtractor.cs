using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Aggregator.Core.Configuration;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The Extraction stage: an article page in, the story's own clean text and sanitised HTML out.
/// Steps: metadata → locate the target story → remove what is never text → detect the body
/// (<see cref="BodyCascade"/>: site selector, known CMS containers against the Readability-family
/// scorer, JSON-LD, the page's paragraphs as the floor; chrome stripped, blocks collected,
/// boilerplate dropped) → learned boilerplate → sanitise.
/// </summary>
public static class ArticleExtractor
{
    /// <summary>Pages are capped before parsing so hostile markup cannot blow up the DOM.</summary>
    public const int MaxHtmlChars = 3 * 1024 * 1024;

    /// <summary>One parser per thread, reused: its browsing context (no CSS, no loaders) is set up once, not per page.</summary>
    [ThreadStatic]
    private static HtmlParser? parser;

    private static HtmlParser Parser => parser ??= new HtmlParser(new HtmlParserOptions { IsScripting = false, DisableElementPositionTracking = true });

    public static ExtractedArticle Extract(ReadOnlySpan<byte> page, string? contentType, Uri? pageUrl, SiteRules? rules = null, IReadOnlySet<long>? learned = null)
    {
        var (html, _) = TextDecoder.Decode(page, contentType);
        return Extract(html, pageUrl, rules, learned);
    }

    /// <param name="learned">Fingerprints of the site's learned boilerplate (<see cref="LearnedBoilerplate"/>), dropped from the body.</param>
    public static ExtractedArticle Extract(string html, Uri? pageUrl, SiteRules? rules = null, IReadOnlySet<long>? learned = null)
    {
        rules ??= SiteRules.None;
        if (html.Length > MaxHtmlChars) html = html[..MaxHtmlChars];
        html = HtmlGuard.Limit(html);
        using var document = Parse(html);
        var meta = PageMetadata.Read(document, pageUrl);
        LazyImages.Restore(document);
        var baseUrl = pageUrl ?? (meta.CanonicalUrl is { } c ? new Uri(c) : null);

        var scope = StoryLocator.Locate(document, meta.Headline);
        NoiseRemover.Remove(scope, rules);
        var (blocks, path) = BodyCascade.Detect(scope, meta, rules, () => Parse(html));
        var paragraphs = blocks.Select(b => b.Text).ToList();
        var before = blocks.Count;
        if (learned is { Count: > 0 })
            blocks = blocks.Where(b => b.Text.Length > LearnedBoilerplate.MaxLength || !learned.Contains(LearnedBoilerplate.Fingerprint(b.Text))).ToList();

        var text = string.Join("\n\n", blocks.Where(b => b.Text.Length > 0).Select(b => b.Text));
        var body = RenderBody(blocks, baseUrl);
        return new ExtractedArticle(meta.Title, meta.Byline, meta.Published, meta.Language, meta.CanonicalUrl, meta.ImageUrl, text, body)
        {
            Paragraphs = paragraphs,
            LearnedRemoved = before - blocks.Count,
            ExtractedBy = path,
        };
    }

    private static IDocument Parse(string html)
    {
        try
        {
            return Parser.ParseDocument(html);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // AngleSharp's tree builder can crash on some misnested table markup (a NullReferenceException
            // in its InTable mode): the page keeps its text as paragraphs and loses its markup.
            var text = string.Concat(FeedText.Paragraphs(html).Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"));
            return Parser.ParseDocument($"<html><body>{text}</body></html>");
        }
    }

    /// <summary>
    /// The body's sanitised HTML: the blocks built as nodes of a small document of their own (lists
    /// grouped, images in figures) and sanitised there, with no markup serialised and parsed again.
    /// </summary>
    private static string RenderBody(List<Block> blocks, Uri? baseUrl)
    {
        using var output = Parser.ParseDocument(string.Empty);
        var body = output.Body!;
        IElement? list = null;
        foreach (var block in blocks)
        {
            if ((block.Tag == "li") != (list is not null))
            {
                if (list is null) body.AppendChild(list = output.CreateElement("ul"));
                else list = null;
            }
            var tag = block.Tag switch
            {
                "img" => "figure",
                "dd" or "dt" or "figcaption" => "p",
                _ => block.Tag,
            };
            var element = output.CreateElement(tag);
            if (block.Inline is { } inline) InlineHtml.AppendTo(element, inline);
            else if (block.Text.Length > 0) element.AppendChild(output.CreateTextNode(InlineHtml.Scalar(block.Text)));
            // As a parser reads it: a line feed right after <pre> is not content (the serialiser would double it).
            if (tag == "pre" && element.FirstChild is IText { Data: ['\n', ..] } first)
            {
                if (first.Data.Length == 1) first.Remove();
                else first.Data = first.Data[1..];
            }
            (list ?? (IElement)body).AppendChild(element);
        }
        return ArticleSanitizer.Sanitize(output, body, baseUrl);
    }
}
