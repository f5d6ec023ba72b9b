using Aggregator.Core.Dedup;

namespace Aggregator.Tests.Storage;

/// <summary>The store's half of filters (issue 16): blocked items are remembered by feed-scoped keys, never stored as stories.</summary>
public abstract partial class StoreContractTests
{
    [SkippableFact]
    public async Task ABlockedItemIsRememberedForItsFeedOnly_CountedApart_AndForgottenWithTombstones()
    {
        using var store = Open();
        var keys = new[] { Key("sponsored-1"), Key("sponsored-1-guid") };
        var blocked = StoryKeys.ForBlocked("f1", keys);
        await store.RememberBlockedAsync("f1", blocked, Now);
        await store.RememberBlockedAsync("f1", blocked, Now); // the same item on the next poll: still one
        await store.RememberBlockedAsync("f1", StoryKeys.ForBlocked("f1", [Key("quiz-2")]), Now);

        var found = store.FindStory(blocked.Concat(keys));
        Assert.Equal(StoryKeys.Blocked, found?.MatchedBy);
        Assert.True(StoryKeys.IsBlockedId(found!.Value.StoryId));
        Assert.Null(store.GetStory(found.Value.StoryId));
        // Another feed's view of the same article is not hidden: its own keys name nothing.
        Assert.Null(store.FindStory(StoryKeys.ForBlocked("f2", keys).Concat(keys)));
        Assert.Equal(new Dictionary<string, int> { ["f1"] = 2 }, store.CountBlockedByFeed().ToDictionary());
        Assert.Equal(0, store.StoryCount);
        Assert.DoesNotContain(store.CountStoriesByFeed(), x => x.Value > 0);
        var (_, created) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f2"), keys, Now);
        Assert.True(created);

        Assert.Equal(2, await store.PurgeTombstonesAsync(Now));
        Assert.Null(store.FindStory(blocked));
        Assert.Equal(0, store.CountBlockedByFeed().GetValueOrDefault("f1"));
        Assert.NotNull(store.GetStory("0000000000000001"));
    }
}
