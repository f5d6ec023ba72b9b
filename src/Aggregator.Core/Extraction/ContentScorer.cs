using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Picks the element that holds the story body, Readability-style: each paragraph scores its
/// parent (fully) and grandparent (half) by length and commas; class/id hints weigh in; the score
/// is discounted by link density. Explicit markup (a site's body selector, itemprop=articleBody) wins.
/// </summary>
internal static partial class ContentScorer
{
    /// <summary>The body container the markup names: the site's configured selector, or itemprop=articleBody.</summary>
    public static IElement? Explicit(IElement scope, string? bodySelector)
    {
        if (bodySelector is not null && scope.QuerySelector(bodySelector) is { } configured) return configured;
        return scope.QuerySelector("[itemprop=articleBody]") is { } marked && ParagraphText(marked) > 200 ? marked : null;
    }

    public static IElement Choose(IElement scope, string? bodySelector)
    {
        if (bodySelector is not null && scope.QuerySelector(bodySelector) is { } configured) return configured;
        if (scope.QuerySelector("[itemprop=articleBody]") is { } marked && ParagraphText(marked) > 200) return marked;

        var scores = new Dictionary<IElement, double>();
        foreach (var p in scope.QuerySelectorAll("p, pre, td, blockquote"))
        {
            var text = TextTools.Normalize(p.TextContent);
            if (text.Length < 25) continue;
            var score = 1 + text.Count(c => c == ',') + Math.Min(text.Length / 100, 3);
            AddScore(scores, p.ParentElement, score);
            AddScore(scores, p.ParentElement?.ParentElement, score / 2);
        }
        if (scores.Count == 0) return scope;
        return scores.Select(kv => (Element: kv.Key, Score: kv.Value * (1 - LinkDensity(kv.Key))))
            .OrderByDescending(x => x.Score).First().Element;
    }

    private static void AddScore(Dictionary<IElement, double> scores, IElement? element, double score)
    {
        if (element is null) return;
        if (!scores.ContainsKey(element)) scores[element] = ClassWeight(element);
        scores[element] += score;
    }

    private static double ClassWeight(IElement element)
    {
        var names = $"{element.ClassName} {element.Id}";
        var weight = 0.0;
        if (PositiveHint().IsMatch(names)) weight += 25;
        if (NegativeHint().IsMatch(names)) weight -= 25;
        return weight;
    }

    public static double LinkDensity(IElement element)
    {
        var total = element.TextContent.Length;
        if (total == 0) return 0;
        var linked = element.QuerySelectorAll("a").Sum(a => a.TextContent.Length);
        return Math.Min(1, (double)linked / total);
    }

    private static int ParagraphText(IElement element) => element.QuerySelectorAll("p").Sum(p => p.TextContent.Length);

    [GeneratedRegex("article|body|content|entry|main|page|post|text|blog|story", RegexOptions.IgnoreCase)]
    private static partial Regex PositiveHint();

    [GeneratedRegex("comment|meta|footer|footnote|sidebar|widget|related|promo|share|hidden|masthead", RegexOptions.IgnoreCase)]
    private static partial Regex NegativeHint();
}
