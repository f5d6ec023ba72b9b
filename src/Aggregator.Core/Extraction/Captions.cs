using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Picture captions and credits (<c>&lt;figcaption&gt;</c>, <c>wp-caption-text</c>, a <c>legend</c> under a
/// photo, "Photo: Agency") are not story text: people reading a page skip them, and trafilatura drops
/// figures and caption-named elements alike. Their text goes, the pictures stay. A gallery page whose
/// text is mostly captions keeps them: there they are the story.
/// </summary>
internal static partial class Captions
{
    /// <summary>A caption-named element holding more text than this is a wrapper misnamed by its theme.</summary>
    private const int MaxLength = 500;

    public static void Remove(IElement scope)
    {
        var all = scope.QuerySelectorAll("figcaption, [class*=caption i], [id*=caption i], [class*=legend i], [class*=credit i], [class*=copyright i], [class*=img-meta i], [class*=image-annotation i]")
            .Where(IsCaption).ToHashSet();
        if (all.Count == 0) return;
        // The outermost caption element of each nest.
        var captions = all.Where(c => !InsideAny(c, all, scope)).ToList();
        var captionText = captions.Sum(c => TextTools.Normalize(c.TextContent).Length);
        if (captionText == 0) return;
        var paragraphText = scope.QuerySelectorAll("p").Where(p => !InsideAny(p, all, scope)).Sum(p => TextTools.Normalize(p.TextContent).Length);
        if (captionText > paragraphText) return;
        foreach (var caption in captions) RemoveText(caption);
    }

    private static bool InsideAny(IElement element, HashSet<IElement> set, IElement scope)
    {
        for (var a = element.ParentElement; a is not null && a != scope.ParentElement; a = a.ParentElement)
            if (set.Contains(a)) return true;
        return false;
    }

    private static bool IsCaption(IElement element)
    {
        if (element.LocalName == "figcaption") return true;
        if (element.LocalName is "body" or "html" or "article" or "main" or "a" or "img" or "picture") return false;
        var names = ChromeNames.Of(element);
        return CaptionName().IsMatch(names) && !ChromeNames.Body.IsMatch(names) && TextTools.Normalize(element.TextContent).Length <= MaxLength;
    }

    /// <summary>Removes everything but the images inside a caption element (a caption wrapper may hold the picture too).</summary>
    private static void RemoveText(IElement element)
    {
        foreach (var child in element.ChildNodes.ToList())
        {
            if (child is IElement e && (e.LocalName is "img" or "picture" || e.QuerySelector("img, picture") is not null))
            {
                if (e.LocalName is not ("img" or "picture")) RemoveText(e);
                continue;
            }
            element.RemoveChild(child);
        }
    }

    /// <summary>Caption and credit names ("wp-caption-text", "figure__caption", "img-credit"), not a theme's "captions" switch.</summary>
    [GeneratedRegex(@"caption(?!s)|(^|[\s_-])(legend|credits?|copyright|img-metadata|image-annotation)([\s_-]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex CaptionName();
}
