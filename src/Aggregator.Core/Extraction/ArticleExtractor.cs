using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Aggregator.Core.Configuration;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The Extraction stage: an article page in, the story's own clean text and sanitised HTML out.
/// Steps: metadata → locate the target story → remove what is never text → detect the body
/// (the site's selector, else <see cref="ContentGrabber"/>) → strip chrome inside it → collect
/// blocks → drop boilerplate → JSON-LD cross-check → sanitise.
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
        using var document = new HtmlParser(ParserOptions).ParseDocument(html);
        var meta = PageMetadata.Read(document, pageUrl);
        LazyImages.Restore(document);
        var baseUrl = pageUrl ?? (meta.CanonicalUrl is { } c ? new Uri(c) : null);

        var scope = StoryLocator.Locate(document, meta.Headline);
        NoiseRemover.Remove(scope, rules);
        var container = (rules.Body is not null ? scope.QuerySelector(rules.Body) : null) ?? ContentGrabber.Grab(scope, meta.Title);
        NoiseRemover.RemoveChrome(container);
        var blocks = BoilerplateFilter.Filter(BlockCollector.Collect(container), rules);
        RemoveHeadlineAndByline(blocks, meta);
        blocks = PreferJsonLd(blocks, meta.JsonLdBody, rules);
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
        };
    }

    /// <summary>Pages without an h1 repeat the headline and byline as body blocks; they are metadata, not text.</summary>
    private static void RemoveHeadlineAndByline(List<Block> blocks, PageMetadata meta)
    {
        for (var i = Math.Min(blocks.Count, 3) - 1; i >= 0; i--)
        {
            var text = blocks[i].Text;
            var isTitle = (meta.Headline is not null && string.Equals(text, meta.Headline, StringComparison.OrdinalIgnoreCase))
                || (meta.Title is not null && string.Equals(text, meta.Title, StringComparison.OrdinalIgnoreCase));
            var isByline = text.Length < 80 && (text.StartsWith("By ", StringComparison.Ordinal) || (meta.Byline is not null && text == meta.Byline));
            if (isTitle || isByline) blocks.RemoveAt(i);
        }
    }

    /// <summary>Script-rendered pages hold only a teaser in the DOM; their JSON-LD articleBody has the story.</summary>
    private static List<Block> PreferJsonLd(List<Block> blocks, string? jsonLdBody, SiteRules rules)
    {
        if (jsonLdBody is null) return blocks;
        var domWords = blocks.Sum(b => TextTools.CountWords(b.Text));
        if (TextTools.CountWords(jsonLdBody) < Math.Max(50, domWords * 1.5)) return blocks;
        var paragraphs = WebUtility.HtmlDecode(jsonLdBody)
            .Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries)
            .Select(TextTools.Normalize).Where(p => p.Length > 0)
            .Select(p => new Block("p", p, WebUtility.HtmlEncode(p), false)).ToList();
        return BoilerplateFilter.Filter(paragraphs, rules);
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
