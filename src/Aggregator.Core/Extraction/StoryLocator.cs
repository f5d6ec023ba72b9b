using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Finds the target story on pages that carry several (infinite-scroll themes append the next
/// stories as further &lt;article&gt; elements, or as repeated post containers): the one whose
/// headline matches the page's title.
/// </summary>
internal static class StoryLocator
{
    public static IElement Locate(IDocument document, string? title)
    {
        var body = document.Body ?? document.DocumentElement;
        var articles = document.QuerySelectorAll("article").Where(a => a.QuerySelector("article") is null).ToList();
        // One article or none: nothing to choose between, unless posts repeat without <article>.
        if (articles.Count <= 1) return RepeatedPost(body, title) ?? body;
        var wanted = Words(title);
        var best = articles
            .Select((a, index) => (Article: a, Index: index, Score: Similarity(wanted, Words(Headline(a)))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Index).First();
        // With no headline match the <article>s are cards or teasers around the story: the whole page it is.
        // A matching card without the story's text (a teaser of this very story in a rail) is no better.
        if (best.Score <= 0.5) return body;
        var text = ParagraphText(best.Article);
        return text >= MinPostText || text * 4 > ParagraphText(body) ? best.Article : body;
    }

    /// <summary>
    /// Themes that append the next posts as sibling containers (same headline markup, no &lt;article&gt;):
    /// the largest ancestor of the matching headline that holds no other post's headline.
    /// </summary>
    private static IElement? RepeatedPost(IElement body, string? title)
    {
        var wanted = Words(title);
        if (wanted.Count == 0) return null;
        var headlines = body.QuerySelectorAll("h1, h2").Where(h => h.TextContent.Trim().Length > 10).ToList();
        var target = headlines.Select(h => (Element: h, Score: Similarity(wanted, Words(h.TextContent))))
            .Where(x => x.Score > 0.5).OrderByDescending(x => x.Score).Select(x => x.Element).FirstOrDefault();
        if (target is null) return null;
        // The next posts' headlines carry the same markup: the same class, or (unclassed) the same <h1>.
        bool SameKind(IElement other) => other != target && (string.IsNullOrEmpty(target.ClassName)
            ? string.IsNullOrEmpty(other.ClassName) && target.LocalName == "h1" && other.LocalName == "h1"
            : other.ClassName == target.ClassName);
        // The other posts must be stories too (a logo or a section title in an <h1> is not).
        var others = headlines.Where(SameKind).Where(o => ParagraphText(PostOf(o, target, body)) >= MinPostText).ToList();
        if (others.Count == 0) return null;
        var post = PostOf(target, others, body);
        return ParagraphText(post) >= MinPostText ? post : null;
    }

    private const int MinPostText = 500;

    /// <summary>The largest ancestor of a headline below the body that holds none of the other headlines.</summary>
    private static IElement PostOf(IElement headline, IEnumerable<IElement> others, IElement body)
    {
        var list = others.ToList();
        var container = headline;
        while (container.ParentElement is { } parent && parent != body && !list.Any(o => parent.Contains(o))) container = parent;
        return container;
    }

    private static IElement PostOf(IElement headline, IElement other, IElement body) => PostOf(headline, [other], body);

    private static int ParagraphText(IElement element) => element.QuerySelectorAll("p").Sum(DomText.RawLength);

    private static string? Headline(IElement article) =>
        (article.QuerySelector("h1") ?? article.QuerySelector("h2") ?? article.QuerySelector("[itemprop=headline]"))?.TextContent;

    private static HashSet<string> Words(string? text) =>
        text is null ? [] : text.ToLowerInvariant().Split(TextTools.WordSeparators, StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    private static double Similarity(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Intersect(b).Count() / Math.Max(a.Count, b.Count);
}
