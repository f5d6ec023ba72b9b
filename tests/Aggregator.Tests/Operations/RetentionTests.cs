using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Operations;

public class RetentionTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static StoryRecord Story(int n, DateTime published)
    {
        var id = $"{n:x16}";
        return new StoryRecord
        {
            Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = $"Story {n}", Category = "World", Published = published,
            FirstSeen = published, Updated = published, Text = "text", Sources = [new StorySource { FeedId = "f", Url = $"https://x.org/{n}", FirstSeen = published }],
        };
    }

    [Fact]
    public async Task OldStoriesAndTheOverflowGoTheirKeysStayAsTombstonesUntilPurged()
    {
        using var dir = new TempDirectory();
        using var store = StoryStore.Open(dir.File("r.db"), TimeProvider.System);
        // 60 stories, one a day back from now.
        for (var n = 0; n < 60; n++)
            await store.AddOrAttachAsync(Story(n, Now.AddDays(-n)), [new StoryKey(StoryKeys.Url, StoryKeys.Hash($"k{n}"))], Now);

        var result = await Retention.SweepAsync(store, new RetentionOptions(Days: 30, MaxStories: 20), Now);
        Assert.Equal(40, result.StoriesDeleted);
        Assert.Equal(20, store.StoryCount);
        Assert.All(store.QueryStories(new StoryQuery(100)).Items, s => Assert.True(s.Published > Now.AddDays(-20)));
        Assert.Equal(20, store.CountStoriesByFeed()["f"]);

        // A deleted story's key is a tombstone: it still names the story, which is gone, so the item is skipped.
        Assert.Equal(($"{45:x16}", StoryKeys.Url), store.FindStory([new StoryKey(StoryKeys.Url, StoryKeys.Hash("k45"))]));
        Assert.Null(store.GetStory($"{45:x16}"));
        var again = await store.AddOrAttachAsync(Story(1000, Now), [new StoryKey(StoryKeys.Url, StoryKeys.Hash("k45"))], Now);
        Assert.False(again.Created);
        Assert.Equal(20, store.StoryCount);

        // A second sweep finds nothing; after the tombstone lifetime the keys are forgotten.
        Assert.Equal(new RetentionResult(0, 0), await Retention.SweepAsync(store, new RetentionOptions(30, 20), Now));
        var later = await Retention.SweepAsync(store, new RetentionOptions(365, 20), Now.AddDays(181));
        Assert.Equal(40, later.TombstonesPurged);
        Assert.Null(store.FindStory([new StoryKey(StoryKeys.Url, StoryKeys.Hash("k45"))]));
        Assert.NotNull(store.FindStory([new StoryKey(StoryKeys.Url, StoryKeys.Hash("k5"))]));
    }

    [Fact]
    public void RetentionIsConfigurableAndValidated()
    {
        var (config, errors) = ConfigLoader.Parse("""{"retention":{"days":7,"maxStories":5000,"tombstoneDays":60},"feeds":[]}""", "/tmp");
        Assert.Empty(errors);
        Assert.Equal(new RetentionOptions(7, 5000, 60), config!.Retention);
        Assert.Equal(RetentionOptions.Default, ConfigLoader.Parse("""{"feeds":[]}""", "/tmp").Config!.Retention);
        var (_, bad) = ConfigLoader.Parse("""{"retention":{"days":0,"maxStorys":1},"feeds":[]}""", "/tmp");
        Assert.Contains(bad, e => e.Path == "$.retention.days");
        Assert.Contains(bad, e => e.Path == "$.retention.maxStorys");
    }
}
