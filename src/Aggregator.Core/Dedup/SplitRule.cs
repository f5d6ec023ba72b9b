using Aggregator.Core.Storage;

namespace Aggregator.Core.Dedup;

/// <summary>
/// An operator's split, as data: which source leaves, the story it becomes (taking the body when the
/// body was its page), the keys that move with it, and the ledger entry that keeps it from joining
/// the old story again. Pure: both stores apply the result.
/// </summary>
public static class SplitRule
{
    /// <summary>The source of <paramref name="story"/> with that URL (of that feed, when given), or null.</summary>
    public static StorySource? FindSource(StoryRecord story, string canonicalUrl, string? feedId) =>
        story.Sources.FirstOrDefault(s => UrlCanonicalizer.Canonicalize(s.Url) == canonicalUrl && (feedId is null || s.FeedId == feedId));

    /// <summary>Takes <paramref name="source"/> out of <paramref name="story"/> (re-deriving its lead) and returns the new story it becomes.</summary>
    public static StoryRecord SplitOff(StoryRecord story, StorySource source, string canonicalUrl, DateTime now)
    {
        story.Sources.Remove(source);
        var id = StoryKeys.Hash($"split\n{story.Id}\n{source.FeedId}\n{canonicalUrl}")[..16];
        var published = Representative.Clamped(source.Published, now) ?? source.FirstSeen;
        source.MatchedBy = $"split from {story.Id}";
        var split = new StoryRecord
        {
            Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = source.ItemTitle ?? story.Title, Url = source.Url,
            Category = story.Category, Published = published, FirstSeen = source.FirstSeen, Updated = now, Sources = [source],
        };
        if (story.BodyUrl is not null && story.BodyUrl == source.Url)
        {
            (split.Text, split.Html, split.Summary, split.Byline, split.ImageUrl, split.Language, split.BodyUrl) =
                (story.Text, story.Html, story.Summary, story.Byline, story.ImageUrl, story.Language, story.BodyUrl);
            (story.Text, story.Html, story.BodyUrl) = (null, null, null);
        }
        Representative.Apply(story, now, fromScratch: true);
        story.Updated = now;
        return split;
    }

    /// <summary>The identity keys of the source that move to the split story (those that named the old one).</summary>
    public static IEnumerable<string> KeysThatMove(StorySource source) =>
        new[] { source.ItemId is { } guid ? StoryKeys.GuidKey(source.FeedId, guid) : null, StoryKeys.UrlKey(source.Url) }.OfType<StoryKey>().Select(k => k.Hash);

    public static SplitRecord Ledger(string fromStory, StoryRecord split, StorySource source, string canonicalUrl, DateTime now) => new()
    {
        Id = StoryKeys.Hash($"split\n{fromStory}\n{source.FeedId}\n{canonicalUrl}")[..24], FromStory = fromStory, ToStory = split.Id,
        FeedId = source.FeedId, Url = canonicalUrl, At = now,
    };
}
