using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;
using static Aggregator.Tests.Storage.StoreContractTests;

namespace Aggregator.Tests.Storage;

/// <summary>
/// The outbox on PostgreSQL under concurrency: two nodes and eight writers append events while a
/// reader follows "everything after my cursor". Ids must commit in order, or the reader would step
/// past an id that commits later and miss it.
/// </summary>
public sealed class PostgresOutboxTests(TestPostgres server) : IClassFixture<TestPostgres>
{
    [SkippableFact]
    public async Task AReaderFollowingTheCursorWhileTwoNodesWriteMissesNoEvent()
    {
        var database = server.NewSchema();
        using var nodeA = PostgresStoryStore.Open(database, TimeProvider.System);
        using var nodeB = PostgresStoryStore.Open(database, TimeProvider.System);
        const int Writers = 8, PerWriter = 40;
        using var done = new CancellationTokenSource();
        var seen = new List<long>();
        var reader = Task.Run(async () =>
        {
            long cursor = 0;
            var idle = 0; // polls after the writers finished: other writers on a shared server may hold the watermark back for a moment
            while (true)
            {
                var finished = done.IsCancellationRequested;
                foreach (var e in nodeB.ReadEvents(cursor, 50))
                {
                    seen.Add(e.Id);
                    cursor = e.Id;
                }
                if (finished && (seen.Count >= Writers * PerWriter || ++idle > 2500)) return;
                await Task.Delay(2);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var node = w % 2 == 0 ? nodeA : nodeB;
            for (var i = 0; i < PerWriter; i++)
                await node.AddOrAttachAsync(Story($"{w:x2}{i:x14}", Now.AddMinutes(i), $"f{w}"), [Key($"{w}-{i}")], Now);
        })));
        await done.CancelAsync();
        await reader;

        var all = (await ReadableEvents(nodeA, 0, Writers * PerWriter)).Select(e => e.Id).ToList();
        Assert.Equal(Writers * PerWriter, all.Count);
        Assert.Equal(all, seen); // every event, once, in id order
        Assert.Equal(all[^1], nodeA.LatestEventId);
    }

    /// <summary>
    /// A write that took its id first but commits last: while it runs, a reader must not step past
    /// its id to a later write's event that already committed, or it would never read it.
    /// </summary>
    [SkippableFact]
    public async Task AnEventCommittedAfterALaterIdIsNotSkipped_ReadersWaitForIt()
    {
        var database = server.NewSchema();
        using var nodeA = PostgresStoryStore.Open(database, TimeProvider.System);
        using var nodeB = PostgresStoryStore.Open(database, TimeProvider.System);
        await nodeA.AddOrAttachAsync(Story("0000000000000001", Now, "f1"), [Key("a")], Now);
        await nodeB.AddOrAttachAsync(Story("0000000000000002", Now, "f2"), [Key("b")], Now);
        var cursor = (await ReadableEvents(nodeB, 0, 2))[^1].Id;

        using var inside = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        // Story 1's row is locked FOR UPDATE (the transaction has its id) before the change runs; it then waits.
        var early = nodeA.UpdateStoryAsync("0000000000000001", s =>
        {
            inside.Release();
            release.Wait(TimeSpan.FromSeconds(30));
            s.Title = "Began first, commits last";
            return true;
        });
        Assert.True(await inside.WaitAsync(TimeSpan.FromSeconds(30)), "the first write's change runs");
        await nodeB.UpdateStoryAsync("0000000000000002", s => { s.Title = "Began second, commits first"; return true; });

        // The second write has committed, but its id is above the first's, which is still running.
        Assert.Empty(nodeB.ReadEvents(cursor, 10));
        Assert.Equal(cursor, nodeB.LatestEventId);

        release.Release();
        await early;
        var events = await ReadableEvents(nodeB, cursor, 2);
        Assert.Equal(["0000000000000001", "0000000000000002"], events.Select(e => e.StoryId));
        Assert.True(events[0].Id < events[1].Id, "the write that began first has the lower id, though it committed last");
        Assert.Equal(events[1].Id, nodeA.LatestEventId);
    }
}
