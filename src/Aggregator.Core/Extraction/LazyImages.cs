using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Images as the reader would see them once scripts ran: lazy-loading attributes (<c>data-src</c>,
/// <c>data-srcset</c>, …) become <c>src</c>/<c>srcset</c>, an image inside &lt;noscript&gt; replaces
/// the placeholder before it, and tracking pixels (1×1, beacons) are dropped.
/// </summary>
internal static partial class LazyImages
{
    private static readonly string[] SourceAttributes = ["data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "data-lazyload", "data-orig-file"];
    private static readonly string[] SetAttributes = ["data-srcset", "data-lazy-srcset"];

    public static void Restore(IDocument document)
    {
        foreach (var noscript in document.QuerySelectorAll("noscript").ToList()) UnwrapNoscriptImage(document, noscript);
        foreach (var img in document.QuerySelectorAll("img").ToList())
        {
            if (IsPlaceholder(img.GetAttribute("src")) && SourceAttributes.Select(img.GetAttribute).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } real)
                img.SetAttribute("src", real.Trim());
            if (string.IsNullOrEmpty(img.GetAttribute("srcset")) && SetAttributes.Select(img.GetAttribute).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } set)
                img.SetAttribute("srcset", set.Trim());
            if (IsTrackingPixel(img)) img.Remove();
        }
    }

    /// <summary>&lt;noscript&gt;&lt;img&gt;&lt;/noscript&gt; after a placeholder image: the noscript image is the real one.</summary>
    private static void UnwrapNoscriptImage(IDocument document, IElement noscript)
    {
        if (noscript.QuerySelector("img") is null && !noscript.TextContent.Contains("<img", StringComparison.OrdinalIgnoreCase)) return;
        // Scripting is off when we parse, so the noscript's content is markup; parse it if it came as text.
        var fragment = document.CreateElement("div");
        fragment.InnerHtml = noscript.Children.Length > 0 ? noscript.InnerHtml : noscript.TextContent;
        if (fragment.Children.Length != 1 || fragment.QuerySelectorAll("img").Length != 1 || fragment.TextContent.Trim().Length > 0) return;
        var image = fragment.QuerySelector("img")!;
        var previous = noscript.PreviousElementSibling;
        if (previous is not null && (previous.LocalName == "img" || previous.QuerySelectorAll("img").Length == 1) && previous.TextContent.Trim().Length == 0)
        {
            var placeholder = previous.LocalName == "img" ? previous : previous.QuerySelector("img")!;
            DomNames.CopyAttributes(placeholder, image, name => !image.HasAttribute(name) && name.StartsWith("data-", StringComparison.Ordinal));
            previous.Replace(fragment.FirstElementChild!);
            noscript.Remove();
        }
        else if (previous is null || previous.QuerySelector("img") is null)
        {
            noscript.Replace(fragment.FirstElementChild!);
        }
    }

    private static bool IsPlaceholder(string? src) =>
        string.IsNullOrWhiteSpace(src) || src.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || Placeholder().IsMatch(src);

    private static bool IsTrackingPixel(IElement img)
    {
        static bool Tiny(string? value) => int.TryParse(value?.Replace("px", "", StringComparison.Ordinal), out var n) && n <= 1;
        if (Tiny(img.GetAttribute("width")) && Tiny(img.GetAttribute("height"))) return true;
        var src = img.GetAttribute("src");
        return src is not null && (Pixel().IsMatch(src) || (src.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && src.Length < 200));
    }

    [GeneratedRegex(@"(blank|spacer|placeholder|transparent|lazy|loading|pixel)\.(gif|png|svg|jpe?g)|/1x1\.|grey\.gif", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[/.](pixel|beacon|spacer)\b|/1x1\.|[?&]pixel=|doubleclick\.net|scorecardresearch\.com|google-analytics\.com|facebook\.com/tr\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pixel();
}
