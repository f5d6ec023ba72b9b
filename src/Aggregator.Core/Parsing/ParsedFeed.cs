namespace Aggregator.Core.Parsing;

/// <summary>A feed as Aggregator understands it, whatever its format (the contract's normalised feed).</summary>
public sealed record ParsedFeed(
    string? Version,
    string Encoding,
    string? Title,
    string? Link,
    string? Description,
    string? Id,
    string? Language,
    string? Rights,
    string? Image,
    DateTimeOffset? Published,
    DateTimeOffset? Updated,
    IReadOnlyList<Person> Authors,
    IReadOnlyList<FeedLink> Links,
    IReadOnlyList<ParsedItem> Items)
{
    /// <summary>The publisher's own polling hint: RSS &lt;ttl&gt; or sy:updatePeriod/updateFrequency (not part of the parse output).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan? UpdateHint { get; init; }

    /// <summary>Channel-level categories (RSS category, iTunes categories and keywords, Atom category…); an extension of the contract.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
}

/// <summary>One entry of a feed. Text fields are decoded; links are absolute.</summary>
public sealed record ParsedItem(
    string? Id,
    string? Title,
    string? Link,
    string? Summary,
    string? Content,
    string? Rights,
    DateTimeOffset? Published,
    DateTimeOffset? Updated,
    IReadOnlyList<Person> Authors,
    IReadOnlyList<string> Categories,
    IReadOnlyList<Enclosure> Enclosures,
    IReadOnlyList<FeedLink> Links)
{
    /// <summary>The article's own address when the link is a FeedBurner proxy (<c>feedburner:origLink</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? OriginalLink { get; init; }

    /// <summary>The item's own image (iTunes image, Media RSS thumbnail…); an extension of the contract.</summary>
    public string? Image { get; init; }
}

public sealed record Person(string? Name, string? Email, string? Uri);

public sealed record FeedLink(string Href, string? Rel, string? Type, string? Title, long? Length,
    [property: System.Text.Json.Serialization.JsonPropertyName("hreflang")] string? HrefLanguage);

public sealed record Enclosure(string Url, string? Type, long? Length);

/// <summary>The document could not be read as a feed; the message starts with <c>parse:</c>.</summary>
public sealed class FeedParseException(string message, Exception? inner = null) : Exception(message, inner);
