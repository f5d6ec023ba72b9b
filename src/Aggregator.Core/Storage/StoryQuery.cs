namespace Aggregator.Core.Storage;

/// <summary>
/// A page request over stories, newest first. <see cref="Before"/> is the keyset cursor (a sort key).
/// <see cref="ListFieldsOnly"/>: the caller reads only what a list shows (id, sort key, title, URL,
/// category, published, summary, and each source's feed, title, URL, published, first seen and how it
/// matched), so a store may leave the rest (text, HTML, byline…) out: LiteDB then answers a search
/// from its in-memory index alone.
/// </summary>
public sealed record StoryQuery(
    int Limit = 50,
    string? Category = null,
    string? Before = null,
    DateTime? Since = null,
    DateTime? Until = null,
    string? Text = null,
    string? FeedId = null,
    bool ListFieldsOnly = false);

/// <summary>One page of stories and the cursor for the next, if any.</summary>
public sealed record StoryPage(IReadOnlyList<StoryRecord> Items, string? NextCursor);
