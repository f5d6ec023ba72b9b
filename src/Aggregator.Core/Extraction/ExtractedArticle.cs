namespace Aggregator.Core.Extraction;

/// <summary>The story's own content and metadata, as extracted from its page.</summary>
public sealed record ExtractedArticle(
    string? Title,
    string? Byline,
    DateTimeOffset? Published,
    string? Language,
    string? CanonicalUrl,
    string? ImageUrl,
    string Text,
    string Html)
{
    /// <summary>
    /// The body's paragraphs before learned boilerplate was dropped: what the site's profile learns
    /// from (a line must keep counting while it is being dropped).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Paragraphs { get; init; } = [];

    /// <summary>How many paragraphs the site's learned boilerplate removed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int LearnedRemoved { get; init; }

    /// <summary>Which detection path produced the body: one of <see cref="ExtractionPath"/>'s names.</summary>
    public string ExtractedBy { get; init; } = ExtractionPath.Readability;

    public int WordCount => Text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>The detection paths of <see cref="ArticleExtractor"/>'s cascade, as recorded in <see cref="ExtractedArticle.ExtractedBy"/>.</summary>
public static class ExtractionPath
{
    /// <summary>The site's body selector or a known article-body container of a common CMS.</summary>
    public const string Rules = "rules";
    /// <summary>The Readability-family scorer (<c>ContentGrabber</c>).</summary>
    public const string Readability = "readability";
    /// <summary>The page's JSON-LD <c>articleBody</c> (script-rendered pages).</summary>
    public const string JsonLd = "jsonld";
    /// <summary>The page's own paragraphs minus chrome, when every detector came back short.</summary>
    public const string Baseline = "baseline";
    /// <summary>Not from the page: the feed's own content (no page, a page that failed, or a teaser page shorter than the feed).</summary>
    public const string Feed = "feed";
}

/// <summary>One block of body text: a paragraph, heading, list item, quote or preformatted text.</summary>
/// <param name="Inline">
/// The page's nodes the block's markup is copied from (<see cref="InlineHtml"/>) when the body is
/// rendered, only for the blocks that make it into the body; null for a block that is plain <paramref name="Text"/>.
/// </param>
internal sealed record Block(string Tag, string Text, IReadOnlyList<AngleSharp.Dom.INode>? Inline, bool LinkOnly);
