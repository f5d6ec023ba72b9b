using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The article-body containers of common CMSs and themes (WordPress <c>entry-content</c>, Drupal
/// <c>field-body</c>, <c>itemprop=articleBody</c>, <c>article__body</c>…), in tiers from the most
/// specific name to the most generic (<c>#content</c>, <c>&lt;main&gt;</c>); the ordering follows
/// trafilatura's body expressions. The first container of the best tier that holds text wins.
/// </summary>
internal static class KnownBodies
{
    private static readonly string[] Tier1Contains =
    [
        "post-text", "post_text", "post-body", "post-entry", "postentry", "post-content", "post_content", "postcontent",
        "post_inner_wrapper", "article-text", "articletext", "entry-content", "article-content", "article__content",
        "article-body", "article__body", "articlebody", "articlecontent", "text-content", "body-text",
        "article__container", "art-content",
    ];

    private static readonly string[] Tier3Contains =
    [
        "post-bodycopy", "storycontent", "story-content", "art-postcontent", "theme-content", "blog-content",
        "section-content", "single-content", "single-post", "main-column", "wpb_text_column", "story-body", "field-body", "fulltext",
    ];

    private static readonly string[] Tier4Contains = ["content-main", "content_main", "content-body", "contentbody", "content__body", "main-content", "page-content"];

    private const int Tiers = 5;

    /// <summary>The candidates in tier order (the first of each tier, in document order); the scope itself counts.</summary>
    public static IEnumerable<IElement> Candidates(IElement scope)
    {
        var byTier = new List<IElement>?[Tiers + 1];
        foreach (var element in (IEnumerable<IElement>)[scope, .. scope.Descendants<IElement>()])
        {
            if (element.LocalName is not ("div" or "article" or "main" or "section")) continue;
            var tier = TierOf(element);
            if (tier == 0) continue;
            (byTier[tier] ??= []).Add(element);
        }
        for (var tier = 1; tier <= Tiers; tier++)
            if (byTier[tier] is { } list) yield return list[0];
    }

    private static int TierOf(IElement element)
    {
        var cls = (element.ClassName ?? "").ToLowerInvariant();
        var id = (element.Id ?? "").ToLowerInvariant();
        bool Has(string s) => cls.Contains(s, StringComparison.Ordinal) || id.Contains(s, StringComparison.Ordinal);
        if (cls is "post" or "entry" || element.GetAttribute("itemprop") == "articleBody" || Tier1Contains.Any(Has)) return 1;
        if (element.LocalName == "article") return 2;
        if (Tier3Contains.Any(Has) || cls is "postarea" or "text" or "cell" or "story" || id is "article" or "story"
            || cls.StartsWith("article ", StringComparison.Ordinal) || id.StartsWith("primary", StringComparison.Ordinal) || element.GetAttribute("role") == "article")
            return 3;
        if (Tier4Contains.Any(Has) || cls == "content" || id == "content") return 4;
        if (element.LocalName == "main" || cls.StartsWith("main", StringComparison.Ordinal) || id.StartsWith("main", StringComparison.Ordinal)
            || (element.GetAttribute("role")?.StartsWith("main", StringComparison.Ordinal) ?? false))
            return 5;
        return 0;
    }
}
