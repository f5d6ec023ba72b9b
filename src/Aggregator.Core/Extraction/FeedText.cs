using System.Net;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Plain-text paragraphs of a feed's HTML fragment, cheaply and without a DOM: scripts and styles
/// dropped, block tags become paragraph breaks, other tags vanish, entities are decoded, and known
/// boilerplate lines are removed. For summaries and size comparisons, not for served HTML.
/// </summary>
public static partial class FeedText
{
    public static List<string> Paragraphs(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return [];
        var text = ScriptOrStyle().Replace(html, " ");
        text = BlockTag().Replace(text, "\n\n");
        text = WebUtility.HtmlDecode(AnyTag().Replace(text, ""));
        return text.Split("\n\n").Select(TextTools.Normalize)
            .Where(p => p.Length > 0 && !BoilerplateFilter.IsKnownBoilerplate(p)).ToList();
    }

    public static int CountWords(IEnumerable<string> paragraphs) => paragraphs.Sum(TextTools.CountWords);

    [GeneratedRegex(@"<(script|style|template)\b[^>]*>[\s\S]*?</\1\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"</?(p|div|br|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|figure|figcaption|hr)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();
}
