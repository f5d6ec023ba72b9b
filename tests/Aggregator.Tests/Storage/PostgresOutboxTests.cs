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
            while (true)
            {
                var finished = done.IsCancellationRequested;
                foreach (var e in nodeB.ReadEvents(cursor, 50))
                {
                    seen.Add(e.Id);
                    cursor = e.Id;
                }
                if (finished && nodeB.ReadEvents(cursor, 1).Count == 0) return;
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

        var all = nodeA.ReadEvents(0, 10_000).Select(e => e.Id).ToList();
        Assert.Equal(Writers * PerWriter, all.Count);
        Assert.Equal(all, seen); // every event, once, in id order
        Assert.Equal(all[^1], nodeA.LatestEventId);
    }
}
