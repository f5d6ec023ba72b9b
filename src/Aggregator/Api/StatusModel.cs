using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;

namespace Aggregator.Api;

/// <summary>One feed's row on <c>/status</c>.</summary>
internal sealed record FeedStatusRow(FeedConfig Feed, FeedStateRecord State, DateTime? NextPoll, int Last24Hours, IReadOnlyList<int> LastSevenDays, int Blocked);

/// <summary>A source that joined a story other than as its first (how it matched, when), with what a split needs.</summary>
internal sealed record MergeRow(StoryRecord Story, StorySource Source);

/// <summary>
/// What <c>/status</c> shows, computed from the store as pure steps: stories per feed per day over the
/// last week (by publication time, from the newest <see cref="MaxScanned"/> stories of that week), and
/// the most recent merges (sources that joined a story by key or by text).
/// </summary>
internal static class StatusModel
{
    public const int Days = 7;
    public const int MaxScanned = 5000;
    public const int MaxMerges = 15;

    /// <summary>The week's stories, newest first, a page at a time, at most <see cref="MaxScanned"/>.</summary>
    public static List<StoryRecord> RecentStories(IStoryStore store, DateTime now)
    {
        var stories = new List<StoryRecord>();
        string? cursor = null;
        do
        {
            var page = store.QueryStories(new StoryQuery(200, Before: cursor, Since: now.AddDays(-Days)));
            stories.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null && stories.Count < MaxScanned);
        return stories;
    }

    /// <summary>Per feed id: stories per day, index 0 the last 24 hours, 6 the oldest day; a story counts once for every feed that carried it.</summary>
    public static Dictionary<string, int[]> PerDay(IEnumerable<StoryRecord> stories, DateTime now)
    {
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var story in stories)
        {
            var day = (int)Math.Floor((now - story.Published).TotalDays);
            if (day is < 0 or >= Days) day = Math.Clamp(day, 0, Days - 1);
            foreach (var feedId in story.Sources.Select(s => s.FeedId).Distinct(StringComparer.Ordinal))
            {
                if (!counts.TryGetValue(feedId, out var days)) counts[feedId] = days = new int[Days];
                days[day]++;
            }
        }
        return counts;
    }

    /// <summary>The latest sources that joined a story (not its first, not one split off), newest first.</summary>
    public static List<MergeRow> RecentMerges(IEnumerable<StoryRecord> stories) =>
        stories.Where(s => s.Sources.Count > 1)
            .SelectMany(s => s.Sources.Where(x => x.MatchedBy != "new" && !x.MatchedBy.StartsWith("split", StringComparison.Ordinal)).Select(x => new MergeRow(s, x)))
            .OrderByDescending(m => m.Source.FirstSeen).ThenBy(m => m.Story.Id, StringComparer.Ordinal)
            .Take(MaxMerges).ToList();

    /// <summary>A coloured state for people: ok (green), warning (amber: pending, or failing once), failing (red), disabled (grey).</summary>
    public static string Tone(FeedStateRecord state) => state.Status switch
    {
        FeedStatus.Ok or FeedStatus.NotModified => "ok",
        FeedStatus.Disabled => "disabled",
        FeedStatus.Failing when state.ConsecutiveFailures >= 2 || state.ErrorClass == "storage" => "failing",
        _ => "warning",
    };

    /// <summary>The last error in words: what failed, and how many times in a row.</summary>
    public static string? ErrorInWords(FeedStateRecord state) => state.Error is null ? null
        : state.ConsecutiveFailures > 1 ? $"{state.Error} ({state.ConsecutiveFailures} failures in a row)" : state.Error;
}
