using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The page's title as readers (and Readability-based tools) expect it: the JSON-LD article's name
/// or headline, else the title meta tags in order of authority (Dublin Core, Open Graph, Weibo,
/// plain, Twitter, Parse.ly), else the &lt;title&gt; with the site name cut off — unless what is left
/// is too short to be a headline, in which case the whole &lt;title&gt; is kept.
/// </summary>
internal static partial class ArticleTitle
{
    private static readonly string[] MetaOrder = ["dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title", "title", "twitter:title", "parsely-title"];

    /// <param name="metas">The page's meta elements and <paramref name="jsonLd"/> its JSON-LD scripts, in document order.</param>
    public static string? Of(IDocument document, IHtmlCollection<IElement> metas, IHtmlCollection<IElement> jsonLd)
    {
        var title = FromJsonLd(document, jsonLd) ?? FromMeta(metas) ?? FromTitleElement(document);
        return string.IsNullOrWhiteSpace(title) ? null : WebUtility.HtmlDecode(title.Trim());
    }

    private static string? FromMeta(IHtmlCollection<IElement> metas)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var meta in metas)
        {
            var content = meta.GetAttribute("content");
            if (string.IsNullOrEmpty(content)) continue;
            var matched = false;
            if (meta.GetAttribute("property") is { } property)
                foreach (Match m in PropertyPattern().Matches(property))
                {
                    values[Whitespace().Replace(m.Value.ToLowerInvariant(), "")] = content.Trim();
                    matched = true;
                }
            if (!matched && meta.GetAttribute("name") is { } name && NamePattern().IsMatch(name))
                values[Whitespace().Replace(name.ToLowerInvariant(), "").Replace('.', ':')] = content.Trim();
        }
        return MetaOrder.Select(key => values.GetValueOrDefault(key)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }

    private static string? FromJsonLd(IDocument document, IHtmlCollection<IElement> scripts)
    {
        foreach (var script in scripts)
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent.Trim().TrimStart("<![CDATA[".ToCharArray()).TrimEnd("]]>".ToCharArray()),
                    new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 32 });
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                    root = root.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object && IsArticle(e));
                if (root.ValueKind != JsonValueKind.Object) continue;
                if (!root.TryGetProperty("@context", out var context) || context.ValueKind != JsonValueKind.String || !SchemaOrg().IsMatch(context.GetString()!)) continue;
                if (!root.TryGetProperty("@type", out _) && root.TryGetProperty("@graph", out var graph) && graph.ValueKind == JsonValueKind.Array)
                    root = graph.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object && IsArticle(e));
                if (root.ValueKind != JsonValueKind.Object || !IsArticle(root)) continue;
                var name = String(root, "name");
                var headline = String(root, "headline");
                if (name is not null && headline is not null && name != headline)
                {
                    var title = FromTitleElement(document) ?? "";
                    return Similarity(headline, title) > 0.75 && !(Similarity(name, title) > 0.75) ? headline.Trim() : name.Trim();
                }
                return (name ?? headline)?.Trim();
            }
            catch (JsonException)
            {
            }
        }
        return null;
    }

    private static bool IsArticle(JsonElement e) =>
        e.TryGetProperty("@type", out var type) && type.ValueKind == JsonValueKind.String && ArticleType().IsMatch(type.GetString()!);

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The &lt;title&gt;, without "| Site" (or "Site:") when what remains still reads as a headline.</summary>
    private static string? FromTitleElement(IDocument document)
    {
        var original = document.Title?.Trim();
        if (string.IsNullOrEmpty(original)) return null;
        var current = original;
        var hierarchical = false;
        if (Separator().IsMatch(current))
        {
            hierarchical = HierarchicalSeparator().IsMatch(current);
            current = original[..Separator().Matches(original)[^1].Index];
            if (WordCount(current) < 3) current = LeadingPart().Replace(original, "", 1);
        }
        else if (current.Contains(": ", StringComparison.Ordinal))
        {
            var trimmed = current.Trim();
            if (!document.QuerySelectorAll("h1, h2").Any(h => h.TextContent.Trim() == trimmed))
            {
                current = original[(original.LastIndexOf(':') + 1)..];
                if (WordCount(current) < 3) current = original[(original.IndexOf(':') + 1)..];
                else if (WordCount(original[..original.IndexOf(':')]) > 5) current = original;
            }
        }
        else if (current.Length is > 150 or < 15)
        {
            var h1s = document.QuerySelectorAll("h1");
            if (h1s.Length == 1) current = h1s[0].TextContent;
        }
        current = Spaces().Replace(current.Trim(), " ");
        var words = WordCount(current);
        if (words <= 4 && (!hierarchical || words != WordCount(SeparatorRun().Replace(original, "")) - 1)) current = original;
        return current;
    }

    private static int WordCount(string text) => Whitespace().Split(text).Length;

    /// <summary>1 minus the share of B's text made of words absent from A (Readability's text similarity).</summary>
    internal static double Similarity(string a, string b)
    {
        var tokensA = NonWord().Split(a.ToLowerInvariant()).Where(t => t.Length > 0).ToHashSet();
        var tokensB = NonWord().Split(b.ToLowerInvariant()).Where(t => t.Length > 0).ToList();
        if (tokensA.Count == 0 || tokensB.Count == 0) return 0;
        var unique = string.Join(' ', tokensB.Where(t => !tokensA.Contains(t)));
        return 1 - (double)unique.Length / string.Join(' ', tokensB).Length;
    }

    [GeneratedRegex(@"\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name)\s*", RegexOptions.IgnoreCase)]
    private static partial Regex PropertyPattern();

    [GeneratedRegex(@"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-\.:]\s*)?(author|creator|pub-date|description|title|site_name)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^https?://schema\.org/?$")]
    private static partial Regex SchemaOrg();

    [GeneratedRegex("^Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|BlogPosting|DiscussionForumPosting|LiveBlogPosting|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|TechArticle$")]
    private static partial Regex ArticleType();

    [GeneratedRegex(@" [\|\-–—\\/>»] ")]
    private static partial Regex Separator();

    [GeneratedRegex(@" [\\/>»] ")]
    private static partial Regex HierarchicalSeparator();

    [GeneratedRegex(@"^[^\|\-–—\\/>»]*[\|\-–—\\/>»]")]
    private static partial Regex LeadingPart();

    [GeneratedRegex(@"[\|\-–—\\/>»]+")]
    private static partial Regex SeparatorRun();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\W+")]
    private static partial Regex NonWord();
}
