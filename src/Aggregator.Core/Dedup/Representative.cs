using Aggregator.Core.Storage;

namespace Aggregator.Core.Dedup;

/// <summary>
/// Which source represents a story, and how old the story is: the source of the highest-priority
/// feed leads (its headline and link), then the earliest published, so a digest that relays an
/// outlet's story later does not take it over; the story is as old as its earliest source. Pure:
/// both stores call it on the record they are about to write.
/// </summary>
public static class Representative
{
    /// <summary>Adds <paramref name="source"/> (unless that feed already carries that URL) and re-derives the lead; false when nothing changed.</summary>
    public static bool Attach(StoryRecord story, StorySource source, DateTime now)
    {
        if (story.Sources.Any(s => s.FeedId == source.FeedId && s.Url == source.Url)) return false;
        story.Sources.Add(source);
        Apply(story, now);
        story.Updated = now;
        return true;
    }

    /// <summary>Orders the sources (representative first), takes the representative's headline and link, and dates the story by its earliest source.</summary>
    public static void Apply(StoryRecord story, DateTime now, bool fromScratch = false)
    {
        var previous = story.Sources[0];
        var ordered = story.Sources.OrderByDescending(s => s.Priority).ThenBy(s => Clamped(s.Published, now) ?? DateTime.MaxValue).ToList();
        story.Sources.Clear();
        story.Sources.AddRange(ordered);
        var best = ordered[0];
        if (best != previous || fromScratch)
        {
            story.Title = best.ItemTitle ?? story.Title;
            story.Url = best.Url ?? story.Url;
        }
        var earliest = story.Sources.Select(s => Clamped(s.Published, now)).Min();
        if (fromScratch) earliest ??= story.Sources.Min(s => s.FirstSeen);
        if (earliest is { } e && (e < story.Published || fromScratch))
        {
            story.Published = e;
            story.SortKey = StoryRecord.MakeSortKey(e, story.Id);
        }
    }

    /// <summary>A future date says nothing about when a story appeared.</summary>
    public static DateTime? Clamped(DateTime? published, DateTime now) => published <= now ? published : null;
}
