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
    public int WordCount => Text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>One block of body text: a paragraph, heading, list item, quote or preformatted text.</summary>
internal sealed record Block(string Tag, string Text, string Html, bool LinkOnly);
