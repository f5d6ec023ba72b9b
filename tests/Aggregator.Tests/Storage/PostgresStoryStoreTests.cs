using System.Collections.Concurrent;
using System.Diagnostics;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;
using Xunit.Abstractions;
using static Aggregator.Tests.Storage.StoreContractTests;

namespace Aggregator.Tests.Storage;

/// <summary>What only a shared server has: several nodes on one database, and a server that stops taking writes.</summary>
public sealed class PostgresStoryStoreTests(TestPostgres server, ITestOutputHelper output) : IClassFixture<TestPostgres>
{
    [SkippableFact]
    public async Task TwoNodesIngestingCopiesOfTheSameWireStoriesMakeOneStoryEach()
    {
        var database = server.NewSchema();
        // Three nodes started at the same moment on an empty database: the migrations run once.
        var opened = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => PostgresStoryStore.Open(database, TimeProvider.System))));
        opened[2].Dispose();
        using var nodeA = opened[0];
        using var nodeB = opened[1];
        const int Articles = 200, Writers = 8;
        var bodies = Enumerable.Range(0, Articles).Select(i => Body(1000 + i)).ToArray();
        var storyOf = new ConcurrentDictionary<(int Article, int Writer), string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            // Writers w and w+4 are the same outlet (exact-key duplicates); outlets differ by URL and a light edit.
            var outlet = w % 4;
            var node = w % 2 == 0 ? nodeA : nodeB;
            foreach (var i in Enumerable.Range(0, Articles).OrderBy(_ => Random.Shared.Next()))
            {
                var url = $"https://outlet{outlet}.example/news/{i}";
                var text = Edited(bodies[i], outlet);
                var candidate = Story($"{w:x2}{i:x14}", Now.AddMinutes(i), $"outlet{outlet}", text: text, url: url);
                var (id, _) = await node.AddOrAttachAsync(candidate, [StoryKeys.UrlKey(url)!], Now.AddDays(1), MinHash.Compute(text));
                storyOf[(i, w)] = id;
            }
        })));
        output.WriteLine($"{Articles * Writers} concurrent ingests on two nodes in {clock.ElapsedMilliseconds} ms");

        var perArticle = storyOf.GroupBy(x => x.Key.Article).ToDictionary(g => g.Key, g => g.Select(x => x.Value).Distinct().ToList());
        Assert.All(perArticle, a => Assert.Single(a.Value));
        Assert.Equal(Articles, perArticle.Values.Select(v => v[0]).Distinct().Count());
        Assert.Equal(Articles, nodeA.StoryCount);
        foreach (var (article, ids) in perArticle)
        {
            var story = nodeB.GetStory(ids[0])!;
            Assert.Equal(4, story.Sources.Count);
            Assert.Equal(4, story.Sources.Select(s => s.FeedId).Distinct().Count());
            Assert.All(story.Sources, s => Assert.EndsWith($"/news/{article}", s.Url));
        }
    }

    [SkippableFact]
    public async Task AWriteOnOneNodeShowsInTheOthersVersionWithinASecond()
    {
        var database = server.NewSchema();
        using var nodeA = PostgresStoryStore.Open(database, TimeProvider.System);
        using var nodeB = PostgresStoryStore.Open(database, TimeProvider.System);
        var before = nodeB.Version;
        await nodeA.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        Assert.True(nodeB.Version > before);
        Assert.Equal(1, nodeB.StoryCount);
        Assert.NotNull(nodeB.GetStory("0000000000000001"));
    }

    [SkippableFact]
    public async Task AServerThatStopsTakingWritesFailsThemAndShowsInHealthUntilOneCommits()
    {
        var database = server.NewSchema();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database;
        using var store = PostgresStoryStore.Open(database, TimeProvider.System);
        await store.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);

        server.Execute(database, $"ALTER DATABASE {name} SET default_transaction_read_only = on");
        Terminate(database);
        StorageFaultException? fault = null;
        for (var n = 2; n < 5; n++)
        {
            var write = store.AddOrAttachAsync(Story($"{n:D16}", Now), [Key($"k{n}")], Now);
            Assert.True(await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(40))) == write, "a write hung");
            fault = await Assert.ThrowsAsync<StorageFaultException>(() => write);
        }
        Assert.StartsWith("storage: ", fault!.Message);
        Assert.Contains("read-only", fault.Message);
        Assert.False(store.Health.Writable);
        Assert.Contains("read-only", store.Health.Error);
        Assert.Single(store.QueryStories(new StoryQuery()).Items);

        server.Execute(database, $"ALTER DATABASE {name} RESET default_transaction_read_only");
        Terminate(database);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.SaveFeedStateAsync(new FeedStateRecord { Id = "f" });
                break;
            }
            catch (StorageFaultException) when (attempt < 3) { /* a connection the server closed */ }
        }
        Assert.True(store.Health.Writable);
        Assert.Null(store.Health.Error);
    }

    [SkippableFact]
    public void AnUnreachableServerFailsTheOpenAtOnceWithTheReason()
    {
        _ = server.ConnectionString;
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<StorageFaultException>(() => PostgresStoryStore.Open("Host=127.0.0.1;Port=1;Username=postgres;Timeout=3", TimeProvider.System));
        Assert.StartsWith("storage: ", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
    }

    private void Terminate(string database) =>
        server.Execute(database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
}
