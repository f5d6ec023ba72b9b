using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The safety net under the detectors: every paragraph, quote and preformatted block of the scope
/// that sits outside chrome (<see cref="ChromeNames.Chrome"/> names, link lists), once each, in
/// document order. Rough, but never empty when the page has paragraphs, and a yardstick: a detected
/// body far shorter than this missed the story.
/// </summary>
internal static partial class Baseline
{
    private const string Selector = "p, blockquote, pre";

    /// <param name="skipChrome">False for the last resort: a page whose whole layout is named like chrome (a theme's "widget" containers).</param>
    public static List<Block> Collect(IElement scope, bool skipChrome = true)
    {
        var chrome = new Dictionary<IElement, bool>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var blocks = new List<Block>();
        foreach (var element in scope.QuerySelectorAll(Selector))
        {
            if (element.ParentElement?.Closest(Selector) is not null) continue; // a paragraph inside a quote is the quote's
            if (Skipped(element, scope, chrome, skipChrome)) continue;
            var text = TextTools.Normalize(element.TextContent);
            if (text.Length == 0 || !seen.Add(text)) continue;
            var linked = element.QuerySelectorAll("a").Sum(a => TextTools.Normalize(a.TextContent).Length);
            if (linked > text.Length * 0.5) continue;
            blocks.Add(new Block(element.LocalName, text, [.. element.ChildNodes], false));
        }
        return blocks;
    }

    /// <summary>Inside an invisible element, or (with <paramref name="skipChrome"/>) inside chrome; answers cached per ancestor.</summary>
    private static bool Skipped(IElement element, IElement scope, Dictionary<IElement, bool> cache, bool skipChrome)
    {
        var path = new List<IElement>();
        var result = false;
        for (var a = element; a is not null; a = a.ParentElement)
        {
            if (cache.TryGetValue(a, out var known))
            {
                result = known;
                break;
            }
            path.Add(a);
            if (a.GetAttribute("style") is { } style && HiddenStyle().IsMatch(style))
            {
                result = true;
                break;
            }
            var names = ChromeNames.Of(a);
            if (skipChrome && names.Length > 1 && ChromeNames.Chrome.IsMatch(names) && !ChromeNames.Body.IsMatch(names) && a.LocalName is not ("body" or "html" or "article" or "main"))
            {
                result = true;
                break;
            }
            if (a == scope) break;
        }
        foreach (var p in path) cache[p] = result;
        return result;
    }

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyle();
}
