using Aggregator.Core.Storage;

namespace Aggregator.Api;

/// <summary>A story in lists: <c>{"id","title","url","category","published","summary","sources"}</c>.</summary>
public sealed record StorySummaryDto(string Id, string Title, string? Url, string Category, DateTime Published, string? Summary, IReadOnlyList<SourceDto> Sources)
{
    public static StorySummaryDto From(StoryRecord s) =>
        new(s.Id, s.Title, s.Url, s.Category, s.Published, s.Summary, s.Sources.Select(SourceDto.From).ToList());
}

/// <summary>One outlet's copy: feed, outlet title, URL, time, and how it was matched.</summary>
public sealed record SourceDto(string FeedId, string? Title, string? Url, DateTime? Published, DateTime FirstSeen, string MatchedBy)
{
    public static SourceDto From(StorySource s) => new(s.FeedId, s.Title, s.Url, s.Published, s.FirstSeen, s.MatchedBy);
}

/// <summary>A page of stories, newest first, and the cursor for the next page.</summary>
public sealed record StoryListDto(IReadOnlyList<StorySummaryDto> Items, string? NextCursor);

/// <summary>One story with its full clean body.</summary>
public sealed record StoryDetailDto(
    string Id, string Title, string? Url, string Category, DateTime Published, DateTime Updated, string? Summary,
    string? Byline, string? ImageUrl, string? Language, string? Text, string? Html, IReadOnlyList<SourceDto> Sources)
{
    public static StoryDetailDto From(StoryRecord s) => new(
        s.Id, s.Title, s.Url, s.Category, s.Published, s.Updated, s.Summary, s.Byline, s.ImageUrl, s.Language,
        s.Text, s.Html, s.Sources.Select(SourceDto.From).ToList());
}

/// <summary>The result of a split: the story the source left, and the story it now is.</summary>
public sealed record SplitDto(StoryDetailDto From, StoryDetailDto To);
