using System.Text.RegularExpressions;
using Aggregator.Core.Configuration;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Drops blocks that are site furniture, not story: known lines ("For the latest headlines…",
/// "Continue Reading"…), a "Read more:" label with the headline links after it, link-only
/// blocks at the end, and the site's own <c>stripText</c> phrases and /regexes/.
/// </summary>
internal static partial class BoilerplateFilter
{
    public static List<Block> Filter(List<Block> blocks, SiteRules rules)
    {
        var siteRegexes = rules.StripText.Where(TextPattern.IsRegex).Select(TextPattern.Compile).ToList();
        var sitePhrases = rules.StripText.Where(p => !TextPattern.IsRegex(p)).ToList();
        var kept = new List<Block>(blocks.Count);
        var inRelatedList = false;
        foreach (var block in blocks)
        {
            if (RelatedLabel().IsMatch(block.Text))
            {
                inRelatedList = true;
                continue;
            }
            if (inRelatedList && (block.LinkOnly || block.Text.Length < 20)) continue;
            inRelatedList = false;
            if (IsKnownBoilerplate(block.Text)) continue;
            if (sitePhrases.Any(p => block.Text.Contains(p, StringComparison.OrdinalIgnoreCase))) continue;
            if (siteRegexes.Any(r => r.IsMatch(block.Text))) continue;
            kept.Add(block);
        }
        TrimTrailingLinks(kept);
        return kept;
    }

    public static bool IsKnownBoilerplate(string text) =>
        text.Length < 300 && (KnownLine().IsMatch(text) || ShortChrome().IsMatch(text));

    /// <summary>Link-only blocks after the last real paragraph are related-story lists, not body.</summary>
    private static void TrimTrailingLinks(List<Block> kept)
    {
        while (kept.Count > 0 && (kept[^1].LinkOnly || kept[^1].Tag is "h2" or "h3" or "h4" or "h5" or "h6"))
            kept.RemoveAt(kept.Count - 1);
    }

    [GeneratedRegex(@"^(read more|related( stories| articles| coverage)?|also read|read also|see also|more on this( story)?|recommended|more from|you may also like|further reading)\s*:?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedLabel();

    [GeneratedRegex(@"follow (us|our) .{0,40}(google news|twitter|facebook|instagram|telegram|whatsapp)|for the latest headlines|sign up (for|to) our .{0,30}newsletter|subscribe to our|all rights reserved|your email address will not be published|required fields are marked|^leave a (reply|comment)|^click to (comment|share)|^share (this|on)|^(continue reading|click to comment|developing|trending|advertisement|connect with us|post comment)\.?$|^(image|photo|picture)( credit)?s?:\s|^download (the|our) app", RegexOptions.IgnoreCase)]
    private static partial Regex KnownLine();

    [GeneratedRegex(@"^(share|tweet|email|print|facebook|twitter|whatsapp|linkedin|reddit|copy link|share on facebook)(\s*[|·•]\s*\w+)*$", RegexOptions.IgnoreCase)]
    private static partial Regex ShortChrome();
}
