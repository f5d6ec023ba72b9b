using Aggregator.Core.Storage;

namespace Aggregator.Tests.Storage;

/// <summary>The outbox: every story change appends its event in the change's own transaction, on both engines.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>
    /// The events after <paramref name="afterId"/> once <paramref name="count"/> of them are readable (or
    /// after 10 s): on PostgreSQL an event is readable once every write transaction that began before its
    /// own has ended, and other writers on a shared server may still run for a moment.
    /// </summary>
    internal static async Task<IReadOnlyList<OutboxEventRecord>> ReadableEvents(IStoryStore store, long afterId, int count)
    {
        for (var tries = 0; ; tries++)
        {
            var events = store.ReadEvents(afterId, 1000);
            if (events.Count >= count || tries == 1000) return events;
            await Task.Delay(10);
        }
    }

    [SkippableFact]
    public async Task EveryStoryChangeAppendsItsEvent_InCommitOrder_AndReadsResumeAfterAnId()
    {
        using var store = Open();
        Assert.Equal(0, store.LatestEventId);
        Assert.Empty(store.ReadEvents(0, 10));
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1"), [Key("a")], Now);
        await store.AddOrAttachAsync(Story("0000000000000002", Now, "f2", url: "https://y.org/2"), [Key("b"), Key("a")], Now); // joins by key
        await store.AttachSourceAsync(id, new StorySource { FeedId = "f3", Url = "https://z.org/3", FirstSeen = Now }, [Key("c")], Now);
        await store.UpdateStoryAsync(id, s => { s.Title = "New headline"; return true; });
        await store.UpdateStoryAsync(id, s => { s.Sources[0].Fetches++; return true; }); // not news: no event
        await store.UpdateStoryAsync(id, _ => false);
        var split = await store.SplitSourceAsync(id, "https://z.org/3", Now);

        var events = await ReadableEvents(store, 0, 6);
        Assert.Equal(["story.created", "source.added", "source.added", "story.updated", "story.updated", "story.created"], events.Select(e => e.Type));
        Assert.Equal([id, id, id, id, id, split.To!.Id], events.Select(e => e.StoryId));
        Assert.Equal(("f2", "https://y.org/2"), (events[1].FeedId, events[1].SourceUrl));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id), "ids grow with commit order");
        Assert.All(events, e => Assert.Equal(DateTimeKind.Utc, e.At.Kind));
        Assert.Equal(events[^1].Id, store.LatestEventId);
        Assert.Equal(events.Skip(3).Select(e => e.Id), store.ReadEvents(events[2].Id, 100).Select(e => e.Id));
        Assert.Equal(events.Skip(3).Take(2).Select(e => e.Id), store.ReadEvents(events[2].Id, 2).Select(e => e.Id));
    }

    [SkippableFact]
    public async Task AChangeThatFailsLeavesNoEvent()
    {
        using var store = Open();
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);
        var latest = (await ReadableEvents(store, 0, 1))[^1].Id;
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => store.UpdateStoryAsync(id, s =>
        {
            s.Title = "Half-done";
            throw new InvalidOperationException("the change fails");
        }));
        Assert.Equal("Story 0000000000000001", store.GetStory(id)!.Title);
        Assert.Equal(latest, store.LatestEventId);
        Assert.Empty(store.ReadEvents(latest, 10));
        await store.UpdateStoryAsync(id, s => { s.Title = "Done"; return true; });
        Assert.Equal("story.updated", Assert.Single(await ReadableEvents(store, latest, 1)).Type);
    }

    [SkippableFact]
    public async Task TheOutboxIsTrimmedByAgeAndCount_TheNewestStays_AndIdsNeverGoBack()
    {
        using var store = Open();
        for (var i = 1; i <= 6; i++) await store.AddOrAttachAsync(Story($"000000000000000{i}", Now), [Key($"k{i}")], Now);
        var ids = (await ReadableEvents(store, 0, 6)).Select(e => e.Id).ToList();
        Assert.Equal(6, ids.Count);

        Assert.Equal(0, await store.TrimOutboxAsync(DateTime.MinValue, 100));
        Assert.Equal(2, await store.TrimOutboxAsync(DateTime.MinValue, 4)); // by count: the newest 4 stay
        Assert.Equal(ids.Skip(2), store.ReadEvents(0, 100).Select(e => e.Id));
        Assert.Equal(3, await store.TrimOutboxAsync(DateTime.MaxValue, 100)); // by age: all but the newest
        Assert.Equal([ids[^1]], store.ReadEvents(0, 100).Select(e => e.Id));
        Assert.Equal(ids[^1], store.LatestEventId);

        await store.UpdateStoryAsync("0000000000000001", s => { s.Title = "Later"; return true; });
        await ReadableEvents(store, ids[^1], 1);
        Assert.True(store.LatestEventId > ids[^1]);
    }

    [SkippableFact]
    public async Task WebhookStateRoundTrips()
    {
        using var store = Open();
        Assert.Null(store.GetWebhookState("hook"));
        var state = new WebhookStateRecord
        {
            Id = "hook", LastDelivered = 41, LastStatus = 500, LastError = "webhook: HTTP 500", Failures = 2,
            LastAttempt = Now, NextAttempt = Now.AddSeconds(10), LastSuccess = Now.AddMinutes(-1),
        };
        await store.SaveWebhookStateAsync(state);
        var read = store.GetWebhookState("hook")!;
        Assert.Equal((41L, 500, "webhook: HTTP 500", 2), (read.LastDelivered, read.LastStatus, read.LastError, read.Failures));
        Assert.Equal((Now, Now.AddSeconds(10), Now.AddMinutes(-1)), (read.LastAttempt!.Value, read.NextAttempt!.Value, read.LastSuccess!.Value));
        Assert.Equal(DateTimeKind.Utc, read.NextAttempt.Value.Kind);
        state.LastDelivered = 42;
        state.Failures = 0;
        await store.SaveWebhookStateAsync(state);
        Assert.Equal((42L, 0), (store.GetWebhookState("hook")!.LastDelivered, store.GetWebhookState("hook")!.Failures));
    }
}
