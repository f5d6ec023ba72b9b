using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Finds the target story on pages that carry several (infinite-scroll themes append the next
/// stories as further &lt;article&gt; elements): the one whose headline matches the page's title.
/// </summary>
internal static class StoryLocator
{
    public static IElement Locate(IDocument document, string? title)
    {
        var body = document.Body ?? document.DocumentElement;
        var articles = document.QuerySelectorAll("article").Where(a => a.QuerySelector("article") is null).ToList();
        // One article or none: nothing to choose between; the content detection looks at the whole page.
        if (articles.Count <= 1) return body;
        var wanted = Words(title);
        var best = articles
            .Select((a, index) => (Article: a, Index: index, Score: Similarity(wanted, Words(Headline(a)))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Index).First();
        // With no headline match the <article>s are cards or teasers around the story: the whole page it is.
        return best.Score > 0.5 ? best.Article : body;
    }

    private static string? Headline(IElement article) =>
        (article.QuerySelector("h1") ?? article.QuerySelector("h2") ?? article.QuerySelector("[itemprop=headline]"))?.TextContent;

    private static HashSet<string> Words(string? text) =>
        text is null ? [] : text.ToLowerInvariant().Split(TextTools.WordSeparators, StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    private static double Similarity(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Intersect(b).Count() / Math.Max(a.Count, b.Count);
}
