using System.Diagnostics;
using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aggregator.Benchmarks;

/// <summary>
/// The same generated corpus through the real ingest path (loopback HTTP, fetcher, parser,
/// extractor, dedup, store) on LiteDB and on PostgreSQL, in the same run and in alternating order,
/// each on a fresh store (a temp file; a fresh database on the server, dropped afterwards).
/// Prints items/s for each engine and PostgreSQL's share of LiteDB's, per round.
/// With <c>nodes</c> above 1, PostgreSQL alone instead: one node against N nodes — N stores opened
/// separately on one fresh database, each with its own ingest services, running at once — first
/// with the feeds divided among them, then with every node given every feed (the same articles
/// arriving on all nodes at the same moment: cross-node dedup); each round checks the N-node
/// database holds exactly the 1-node run's stories.
/// </summary>
internal static class EngineBenchmark
{
    public const string Variable = "AGGREGATOR_BENCH_POSTGRES";

    public static async Task<int> RunAsync(int items, int feedCount, double duplicates, int rounds, string? postgres, int nodes = 1)
    {
        postgres ??= Environment.GetEnvironmentVariable(Variable) ?? Environment.GetEnvironmentVariable("AGGREGATOR_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            Console.Error.WriteLine($"engines: give a PostgreSQL server as --postgres \"Host=…;Username=…\" or in {Variable}");
            return 2;
        }
        var corpus = new Corpus(feedCount, items / feedCount, duplicates);
        await using var site = await CorpusServer.StartAsync(corpus);
        var feeds = Enumerable.Range(0, feedCount).Select(f => new FeedConfig($"outlet-{f}", new Uri($"{site.BaseUrl}/feed/{f}.xml"), "World", null, null, true, null)).ToList();
        if (nodes > 1) return await CompareNodesAsync(corpus, feeds, nodes, rounds, postgres);
        Console.WriteLine($"ingesting {corpus.TotalItems:N0} items from {feedCount} feeds ({duplicates:P0} cross-feed duplicates) on each engine, {rounds} rounds…");

        // A first pass over two feeds on each engine, untimed: JIT and connection set-up are not ingest.
        await IngestAsync(Engine.LiteDb, [feeds.Take(2).ToList()], postgres);
        await IngestAsync(Engine.Postgres, [feeds.Take(2).ToList()], postgres);

        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which engine goes first, so a noisy neighbour weighs on both alike.
            var order = round % 2 == 1 ? new[] { Engine.LiteDb, Engine.Postgres } : [Engine.Postgres, Engine.LiteDb];
            var results = new Dictionary<Engine, Result>();
            foreach (var engine in order) results[engine] = await IngestAsync(engine, [feeds], postgres);
            var (lite, pg) = (results[Engine.LiteDb], results[Engine.Postgres]);
            ratios.Add(pg.ItemsPerSecond / lite.ItemsPerSecond);
            Console.WriteLine($"round {round}: LiteDB {lite} | PostgreSQL {pg} | PostgreSQL/LiteDB {ratios[^1]:P0}");
        }
        Console.WriteLine($"PostgreSQL/LiteDB over {rounds} rounds: {ratios.Min():P0}–{ratios.Max():P0} (median {ratios.Order().ElementAt(ratios.Count / 2):P0})");
        return 0;
    }

    /// <summary>Per round, in rotating order: 1 node with every feed, N nodes with the feeds divided, N nodes each with every feed.</summary>
    private static async Task<int> CompareNodesAsync(Corpus corpus, List<FeedConfig> feeds, int nodes, int rounds, string postgres)
    {
        Console.WriteLine($"ingesting {corpus.TotalItems:N0} items from {feeds.Count} feeds on PostgreSQL: 1 node vs {nodes} nodes, {rounds} rounds…");
        await IngestAsync(Engine.Postgres, Enumerable.Range(0, nodes).Select(n => feeds.Take(2).ToList()).ToList(), postgres); // untimed warm-up
        var variants = new (string Name, List<List<FeedConfig>> Nodes)[]
        {
            ("1 node", [feeds]),
            ($"{nodes} nodes, feeds divided", Enumerable.Range(0, nodes).Select(n => feeds.Where((_, i) => i % nodes == n).ToList()).ToList()),
            ($"{nodes} nodes, every feed on each", Enumerable.Range(0, nodes).Select(_ => feeds).ToList()),
        };
        var failed = false;
        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var results = new Result[variants.Length];
            foreach (var v in Enumerable.Range(0, variants.Length).Select(i => (i + round - 1) % variants.Length))
                results[v] = await IngestAsync(Engine.Postgres, variants[v].Nodes, postgres);
            ratios.Add(results[1].ItemsPerSecond / results[0].ItemsPerSecond);
            Console.WriteLine($"round {round}: " + string.Join(" | ", variants.Select((v, i) => $"{v.Name}: {results[i]}")) + $" | {nodes} nodes divided/1 node {ratios[^1]:P0}");
            for (var i = 0; i < variants.Length; i++)
            {
                if (results[i].Stories == results[0].Stories && results[i].Counted == results[i].Stories) continue;
                failed = true;
                Console.WriteLine($"FAIL round {round}: {variants[i].Name} stored {results[i].Counted:N0} story rows (counter {results[i].Stories:N0}), 1 node {results[0].Stories:N0}");
            }
        }
        Console.WriteLine($"{nodes} nodes (feeds divided)/1 node over {rounds} rounds: {ratios.Min():P0}–{ratios.Max():P0}");
        Console.WriteLine(failed ? "FAIL: stories lost or doubled across nodes" : $"stories: every {nodes}-node round equal to the 1-node round's count");
        return failed ? 1 : 0;
    }

    private enum Engine { LiteDb, Postgres }

    /// <summary><see cref="Stories"/> is the store's count; <see cref="Counted"/> the rows in PostgreSQL's stories table (LiteDB: the same).</summary>
    private sealed record Result(int Processed, int New, int Failed, int Stories, int Counted, TimeSpan Elapsed)
    {
        public double ItemsPerSecond => Processed / Elapsed.TotalSeconds;

        public override string ToString() => $"{ItemsPerSecond:N0} items/s ({Processed:N0} items, {New:N0} new,{(Failed > 0 ? $" {Failed:N0} FAILED," : "")} {Stories:N0} stories, {Elapsed.TotalSeconds:N1} s)";
    }

    /// <summary>
    /// One fresh store; each entry of <paramref name="nodes"/> is one node: its own store opened on it
    /// (LiteDB: one node only), its own ingest services, ingesting its feeds while the others run.
    /// </summary>
    private static async Task<Result> IngestAsync(Engine engine, List<List<FeedConfig>> nodes, string postgres)
    {
        if (engine == Engine.LiteDb && nodes.Count != 1) throw new ArgumentException("LiteDB has one writer: one node", nameof(nodes));
        var dir = Directory.CreateTempSubdirectory("aggregator-engines-");
        var database = engine == Engine.Postgres ? CreateDatabase(postgres) : null;
        var stores = new List<IStoryStore>();
        var providers = new List<ServiceProvider>();
        try
        {
            var config = new AggregatorConfig(new StorageOptions(Path.Combine(dir.FullName, "bench.db")),
                HttpOptions.Default with { AllowLoopback = true, MaxConnectionsPerHost = 64, Timeout = TimeSpan.FromSeconds(60), MaxResponseBytes = 64 * 1024 * 1024 },
                new ScheduleOptions(TimeSpan.FromHours(1), 16), new OutputOptions("Bench", new Uri("http://localhost"), 100), new ApiOptions(null),
                nodes.SelectMany(n => n).Distinct().ToList());
            // Opened at the same moment, as nodes starting together would be (migrations under their advisory lock).
            stores.AddRange(database is null ? [StoryStore.Open(config.Storage.Path, TimeProvider.System)]
                : await Task.WhenAll(nodes.Select(_ => Task.Run(IStoryStore () => PostgresStoryStore.Open(database, TimeProvider.System)))));
            providers.AddRange(stores.Select((store, n) => new ServiceCollection().AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Error))
                .AddAggregatorCore(config with { Storage = config.Storage with { NodeId = $"node-{n}" } }, store, TimeProvider.System).BuildServiceProvider()));
            var summaries = new List<FeedRunSummary>();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(providers.Select((services, n) => Parallel.ForEachAsync(nodes[n], new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (feed, cancel) =>
            {
                var summary = await services.GetRequiredService<FeedIngestor>().IngestAsync(feed, cancel);
                lock (summaries) summaries.Add(summary);
            })));
            clock.Stop();
            // PostgreSQL: the counters every node's StoryCount sums (read here, not through a node's 250 ms snapshot), and the rows themselves.
            var stories = database is null ? stores[0].StoryCount : (int)Scalar(database, "SELECT sum(stories)::bigint FROM store_version");
            return new Result(summaries.Sum(s => s.New + s.Duplicate + s.Updated + s.Failed), summaries.Sum(s => s.New), summaries.Sum(s => s.Failed), stories,
                database is null ? stories : (int)Scalar(database, "SELECT count(*) FROM stories"), clock.Elapsed);
        }
        finally
        {
            foreach (var services in providers) await services.DisposeAsync();
            foreach (var store in stores) store.Dispose();
            if (database is not null) DropDatabase(postgres, database);
            dir.Delete(recursive: true);
        }
    }

    private static string CreateDatabase(string admin)
    {
        var name = "pgperf_bench_" + Guid.NewGuid().ToString("N")[..12];
        Execute(admin, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static void DropDatabase(string admin, string database)
    {
        NpgsqlConnection.ClearAllPools();
        Execute(admin, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)");
    }

    private static void Execute(string connectionString, string sql) => Scalar(connectionString, sql);

    private static long Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar() is long value ? value : 0;
    }
}
