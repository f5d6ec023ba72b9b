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

    public int WordCount => Text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>One block of body text: a paragraph, heading, list item, quote or preformatted text.</summary>
internal sealed record Block(string Tag, string Text, string Html, bool LinkOnly);
