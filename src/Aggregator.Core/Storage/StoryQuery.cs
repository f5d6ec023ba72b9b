namespace Aggregator.Core.Storage;

/// <summary>A page request over stories, newest first. <see cref="Before"/> is the keyset cursor (a sort key).</summary>
public sealed record StoryQuery(
    int Limit = 50,
    string? Category = null,
    string? Before = null,
    DateTime? Since = null,
    DateTime? Until = null,
    string? Text = null,
    string? FeedId = null);

/// <summary>One page of stories and the cursor for the next, if any.</summary>
public sealed record StoryPage(IReadOnlyList<StoryRecord> Items, string? NextCursor);
