using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The standfirst (lead, teaser, abstract, entry-summary) that news and CMS templates put in the
/// article's header, outside the body container both detectors pick. It is story text: when an
/// element so named ends just before the body starts and the body lacks its text, it is put first.
/// </summary>
internal static partial class LeadParagraph
{
    private const int MinLength = 40;
    private const int MaxLength = 800;
    /// <summary>Between the lead and the body only a byline, a date or a caption fit.</summary>
    private const int MaxGap = 400;

    public static List<Block> Restore(IElement scope, List<Block> body)
    {
        if (body.FirstOrDefault(b => b.Text.Length > 0) is not { } first) return body;
        var named = scope.QuerySelectorAll("[class], [id]")
            .Where(e => e.LocalName is not ("a" or "span" or "img" or "li" or "ul" or "ol") && Named().IsMatch(ChromeNames.Of(e))).ToList();
        if (named.Count == 0) return body;
        var text = TextTools.Normalize(scope.TextContent);
        var bodyStart = text.IndexOf(first.Text, StringComparison.Ordinal);
        if (bodyStart <= 0) return body;
        Block? lead = null;
        foreach (var element in named)
        {
            if (element.ParentElement?.Closest("[class*=lead i], [class*=teaser i], [class*=summary i], [class*=intro i], [class*=abstract i]") is { } outer && outer != element
                && Named().IsMatch(ChromeNames.Of(outer))) continue; // the outermost named element only
            var lead1 = TextTools.Normalize(element.TextContent);
            if (lead1.Length is < MinLength or > MaxLength) continue;
            var at = text.IndexOf(lead1, StringComparison.Ordinal);
            if (at < 0 || at + lead1.Length > bodyStart || bodyStart - (at + lead1.Length) > MaxGap) continue;
            var linked = element.QuerySelectorAll("a").Sum(a => TextTools.Normalize(a.TextContent).Length);
            if (linked > lead1.Length * 0.3 || body.Any(b => b.Text.Contains(lead1, StringComparison.Ordinal))) continue;
            lead = new Block("p", lead1, null, false);
        }
        if (lead is null || BoilerplateFilter.IsKnownBoilerplate(lead.Text)) return body;
        return [lead, .. body];
    }

    [GeneratedRegex(@"(^|[\s_-])(lead|lede|intro|standfirst|summary|abstract|excerpt|teaser|subtitle|subhead|dek|deck)([\s_-]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex Named();
}
