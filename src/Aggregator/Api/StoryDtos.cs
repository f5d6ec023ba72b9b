using Aggregator.Core.Storage;
using Aggregator.Core.Syndication;

namespace Aggregator.Api;

/// <summary>A story in lists: <c>{"id","title","url","category","published","summary","sources"}</c>.</summary>
public sealed record StorySummaryDto(string Id, string Title, string? Url, string Category, DateTime Published, string? Summary, IReadOnlyList<SourceDto> Sources)
{
    public static StorySummaryDto From(StoryRecord s, DateTime now) =>
        new(s.Id, s.Title, Emitted.Url(s.Url), s.Category, Emitted.Time(s.Published, now), s.Summary, SourceDto.From(s.Sources, now));
}

/// <summary>One outlet's copy: feed, outlet title, URL, time, and how it was matched.</summary>
public sealed record SourceDto(string FeedId, string? Title, string? Url, DateTime? Published, DateTime FirstSeen, string MatchedBy)
{
    public static SourceDto From(StorySource s, DateTime now) =>
        new(s.FeedId, s.Title, Emitted.Url(s.Url), Emitted.Time(s.Published, now), Emitted.Time(s.FirstSeen, now), s.MatchedBy);

    public static List<SourceDto> From(IEnumerable<StorySource> sources, DateTime now) => sources.Select(s => From(s, now)).ToList();
}

/// <summary>A page of stories, newest first, and the cursor for the next page.</summary>
public sealed record StoryListDto(IReadOnlyList<StorySummaryDto> Items, string? NextCursor);

/// <summary>One story with its full clean body. Every URL is absolute http(s) (or null), every date no later than now.</summary>
public sealed record StoryDetailDto(
    string Id, string Title, string? Url, string Category, DateTime Published, DateTime Updated, string? Summary,
    string? Byline, string? ImageUrl, string? Language, string? Text, string? Html, IReadOnlyList<SourceDto> Sources, string? ExtractedBy)
{
    public static StoryDetailDto From(StoryRecord s, DateTime now) => new(
        s.Id, s.Title, Emitted.Url(s.Url), s.Category, Emitted.Time(s.Published, now), Emitted.Time(s.Updated, now), s.Summary, s.Byline,
        Emitted.Url(s.ImageUrl), s.Language, s.Text, s.Html, SourceDto.From(s.Sources, now), s.ExtractedBy);
}

/// <summary>The result of a split: the story the source left, and the story it now is.</summary>
public sealed record SplitDto(StoryDetailDto From, StoryDetailDto To)
{
    public static SplitDto Of(StoryRecord from, StoryRecord to, DateTime now) => new(StoryDetailDto.From(from, now), StoryDetailDto.From(to, now));
}
