using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The one list of class/id hints that name page chrome (share bars, comments, related rails,
/// newsletter boxes…) and of those that name an article body. Each entry says which step reads it:
/// <see cref="Use.Unlikely"/> and <see cref="Use.Negative"/> are Readability's own lists (unlikely
/// candidates dropped before scoring; a −25 class weight), <see cref="Use.Chrome"/> is what is cut
/// from inside a chosen body and what the baseline skips. One table, so a pattern added for one step
/// is seen next to the others that might want it.
/// </summary>
internal static class ChromeNames
{
    [Flags]
    public enum Use { Unlikely = 1, Negative = 2, Chrome = 4 }

    private const Use U = Use.Unlikely, N = Use.Negative, C = Use.Chrome;

    /// <summary>Regex fragments, matched case-insensitively anywhere in "class id".</summary>
    private static readonly (string Pattern, Use Use)[] Table =
    [
        ("-ad-", U | N), (@"\bads?\b", C), ("ad-slot", C), ("ad-break", U), ("advert", C), ("agegate", U), ("ai2html", U),
        ("author-bio", C), ("banner", U | N | C), ("breadcrumbs", U), ("breadcrumb", C), ("combx", U | N), ("com-", N),
        ("comment", U | N | C), ("community", U), ("consent", C), ("contact", N), ("cont-read", C), ("cookie", C),
        ("cover-wrap", U), ("disqus", U), ("extra", U), ("footer", U | N), ("gdpr", U | N), ("header", U),
        ("hidden", N), ("^hid$| hid$| hid |^hid ", N), ("jump", C), ("legends", U), ("masthead", N | C), ("media", N),
        ("menu", U | C), ("meta", N), ("modal", C), ("more-stories", C), ("newsletter", C), ("next-post", C),
        ("outbrain", N | C), ("pager", U), ("pagination", U | C), ("popular", C), ("popup", U | C), ("prev-post", C),
        ("print", C), ("promo", N | C), ("read-more", C), ("readmore", C), ("recommend", C), ("related", U | N | C),
        ("remark", U), ("replies", U), ("rss", U), ("scroll", N), ("share", N | C), ("sharing", C), ("shopping", N),
        ("shoutbox", U | N), ("sidebar", U | N | C), ("skip", C), ("skyscraper", U | N), ("soc-", C), ("social", U | C),
        ("sponsor", U | N | C), ("subscribe", C), ("supplemental", U), ("taboola", C), ("tags", N | C), ("trending", C),
        ("widget", N | C), ("yom-remote", U),
        // trafilatura's discard list, the parts that name chrome inside a body (author boxes, post metadata, rails).
        ("author-box|about-author|author-info|authorbox", C), ("byline", C), ("rating", C), ("most-popular|mostpopular|most-read", C),
        ("post-?meta|entry-meta|article-meta|entry-footer|post-footer", C), ("tag-list|tagcloud|post-tags", C), ("subnav", C),
        // Author boxes of common plugins and themes, and disclosure notices (affiliate, advertising, community-blog).
        ("sabox|abh_box|author-card|post-author|author__bio|author-description|about-the-author|autorenbox|author-wrap", C), ("disclaimer|disclosure|community-notice", C),
    ];

    public static readonly Regex Unlikely = Build(Use.Unlikely);
    public static readonly Regex Negative = Build(Use.Negative);
    public static readonly Regex Chrome = Build(Use.Chrome);

    /// <summary>Readability: names that keep an unlikely-looking node (a "main-header-and-content" wrapper).</summary>
    public static readonly Regex MaybeCandidate = Compile("and|article|body|column|content|main|mathjax|shadow");

    /// <summary>Readability: names worth +25.</summary>
    public static readonly Regex Positive = Compile("article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story");

    /// <summary>Names of an article body in common CMSs: never chrome, whatever else the class says.</summary>
    public static readonly Regex Body = Compile(@"article-body|articlebody|article__body|entry-content|post-content|post-body|story-body|content-main|article-content|article__content|main-content|post-text|article-text");

    /// <summary>"class id" of an element, the string every pattern here is matched against.</summary>
    public static string Of(IElement element) => $"{element.ClassName} {element.Id}";

    private static Regex Build(Use use) => Compile(string.Join('|', Table.Where(t => t.Use.HasFlag(use)).Select(t => t.Pattern)));

    private static Regex Compile(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
