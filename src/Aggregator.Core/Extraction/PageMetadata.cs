using System.Text.Json;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Extraction;

/// <summary>What a page says about itself: meta tags, JSON-LD (NewsArticle/Article) and semantic markup.</summary>
/// <param name="Title">The title readers see (<see cref="ArticleTitle"/>).</param>
/// <param name="Headline">The headline as it appears in the page (site name cut off), to find the story's container and its heading.</param>
internal sealed record PageMetadata(
    string? Title, string? Headline, string? Byline, DateTimeOffset? Published, string? Language,
    string? CanonicalUrl, string? ImageUrl, string? JsonLdBody)
{
    private static readonly string[] ArticleTypes = ["NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"];

    /// <summary>The meta tags read, as <c>meta[property='key'], meta[name='key']</c>, compiled once.</summary>
    private static readonly Dictionary<string, ISelector> MetaSelectors = new[] { "og:title", "og:url", "author", "article:published_time", "og:locale", "og:image" }
        .ToDictionary(key => key, key => new CssSelectorParser().ParseSelector($"meta[property='{key}'], meta[name='{key}']")!);

    public static PageMetadata Read(IDocument document, Uri? pageUrl)
    {
        // One walk for the page's meta tags and JSON-LD scripts, which the title and the fields below all read.
        var metas = document.QuerySelectorAll("meta");
        var jsonLd = document.QuerySelectorAll("script[type='application/ld+json']");
        var ld = ReadJsonLd(jsonLd);
        string? Meta(string key) => First(metas, MetaSelectors[key])?.GetAttribute("content")?.Trim() is { Length: > 0 } v ? v : null;
        var headline = Meta("og:title") ?? ld.Headline ?? HeadlineInTitle(document) ?? TitleWithoutSite(document.Title) ?? document.QuerySelector("h1")?.TextContent;
        var canonical = document.QuerySelector("link[rel=canonical]")?.GetAttribute("href") ?? Meta("og:url");
        return new PageMetadata(
            Clean(ArticleTitle.Of(document, metas, jsonLd)) ?? Clean(headline),
            Clean(headline),
            Meta("author") ?? ld.Author ?? Clean(document.QuerySelector("[rel=author], .author-name, .byline, [itemprop=author]")?.TextContent),
            DateParser.Parse(Meta("article:published_time") ?? ld.Published
                ?? document.QuerySelector("time[datetime]")?.GetAttribute("datetime")),
            document.DocumentElement.GetAttribute("lang")?.Trim() is { Length: > 0 } lang ? lang : Meta("og:locale"),
            Absolute(canonical, pageUrl),
            Absolute(Meta("og:image") ?? ld.Image, pageUrl),
            ld.Body);
    }

    /// <summary>The h1 that the &lt;title&gt; names (pages with several stories have several h1s).</summary>
    private static string? HeadlineInTitle(IDocument document)
    {
        var title = Clean(document.Title);
        if (title is null) return null;
        return document.QuerySelectorAll("h1").Select(h => Clean(h.TextContent)).OfType<string>()
            .FirstOrDefault(h => h.Length > 3 && title.Contains(h, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"Headline | Site", "Site - Headline": the longest part around a separator is the headline.</summary>
    public static string? TitleWithoutSite(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return null;
        foreach (var separator in (string[])[" | ", " - ", " — ", " – ", " :: ", " · "])
        {
            if (!title.Contains(separator, StringComparison.Ordinal)) continue;
            var longest = title.Split(separator).MaxBy(part => part.Trim().Length)!.Trim();
            if (longest.Length > 15) return longest;
        }
        return title.Trim();
    }

    private static string? Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : string.Join(' ', text.Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries));

    private static string? Absolute(string? url, Uri? pageUrl)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var abs) && !abs.IsFile) return abs.ToString();
        return pageUrl is not null && Uri.TryCreate(pageUrl, url.Trim(), out var rel) ? rel.ToString() : null;
    }

    private sealed record LinkedData(string? Headline, string? Author, string? Published, string? Image, string? Body);

    private static IElement? First(IHtmlCollection<IElement> elements, ISelector selector)
    {
        foreach (var element in elements)
            if (selector.Match(element, null)) return element;
        return null;
    }

    private static LinkedData ReadJsonLd(IHtmlCollection<IElement> scripts)
    {
        foreach (var script in scripts)
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 32 });
                if (FindArticle(json.RootElement) is { } article) return ToLinkedData(article);
            }
            catch (JsonException)
            {
                // Broken JSON-LD is common; the DOM still has the article.
            }
        }
        return new LinkedData(null, null, null, null, null);
    }

    private static JsonElement? FindArticle(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array)
            return e.EnumerateArray().Select(FindArticle).FirstOrDefault(x => x is not null);
        if (e.ValueKind != JsonValueKind.Object) return null;
        if (e.TryGetProperty("@type", out var type) && TypeNames(type).Any(t => ArticleTypes.Contains(t))) return e;
        return e.TryGetProperty("@graph", out var graph) ? FindArticle(graph) : null;
    }

    private static IEnumerable<string> TypeNames(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => [type.GetString()!],
        JsonValueKind.Array => type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!),
        _ => [],
    };

    private static LinkedData ToLinkedData(JsonElement a) => new(
        StringOf(a, "headline"), NameOf(a, "author"), StringOf(a, "datePublished"), ImageOf(a), StringOf(a, "articleBody"));

    private static string? StringOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s.Trim() : null;

    private static string? NameOf(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Array) v = v.EnumerateArray().FirstOrDefault();
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => StringOf(v, "name"),
            _ => null,
        };
    }

    private static string? ImageOf(JsonElement e)
    {
        if (!e.TryGetProperty("image", out var v)) return null;
        if (v.ValueKind == JsonValueKind.Array) v = v.EnumerateArray().FirstOrDefault();
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => StringOf(v, "url"),
            _ => null,
        };
    }
}
