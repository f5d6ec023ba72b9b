using System.Net;
using System.Text;
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

    private static readonly HtmlParserOptions ParserOptions = new() { IsScripting = false };

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
        var body = ArticleSanitizer.Sanitize(ToHtml(blocks), baseUrl);
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
            return new HtmlParser(ParserOptions).ParseDocument(html);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // AngleSharp's tree builder can crash on some misnested table markup (a NullReferenceException
            // in its InTable mode): the page keeps its text as paragraphs and loses its markup.
            var text = string.Concat(FeedText.Paragraphs(html).Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"));
            return new HtmlParser(ParserOptions).ParseDocument($"<html><body>{text}</body></html>");
        }
    }

    private static string ToHtml(List<Block> blocks)
    {
        var html = new StringBuilder();
        var inList = false;
        foreach (var block in blocks)
        {
            if (block.Tag == "li" != inList)
            {
                html.Append(inList ? "</ul>" : "<ul>");
                inList = !inList;
            }
            if (block.Tag == "img")
            {
                html.Append("<figure>").Append(block.Html).Append("</figure>");
                continue;
            }
            var tag = block.Tag is "dd" or "dt" or "figcaption" ? "p" : block.Tag;
            html.Append('<').Append(tag).Append('>').Append(block.Html).Append("</").Append(tag).Append('>');
        }
        if (inList) html.Append("</ul>");
        return html.ToString();
    }
}
