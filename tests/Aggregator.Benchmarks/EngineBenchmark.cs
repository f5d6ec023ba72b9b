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
/// </summary>
internal static class EngineBenchmark
{
    public const string Variable = "AGGREGATOR_BENCH_POSTGRES";

    public static async Task<int> RunAsync(int items, int feedCount, double duplicates, int rounds, string? postgres)
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
        Console.WriteLine($"ingesting {corpus.TotalItems:N0} items from {feedCount} feeds ({duplicates:P0} cross-feed duplicates) on each engine, {rounds} rounds…");

        // A first pass over two feeds on each engine, untimed: JIT and connection set-up are not ingest.
        await IngestAsync(Engine.LiteDb, feeds.Take(2).ToList(), postgres);
        await IngestAsync(Engine.Postgres, feeds.Take(2).ToList(), postgres);

        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which engine goes first, so a noisy neighbour weighs on both alike.
            var order = round % 2 == 1 ? new[] { Engine.LiteDb, Engine.Postgres } : [Engine.Postgres, Engine.LiteDb];
            var results = new Dictionary<Engine, Result>();
            foreach (var engine in order) results[engine] = await IngestAsync(engine, feeds, postgres);
            var (lite, pg) = (results[Engine.LiteDb], results[Engine.Postgres]);
            ratios.Add(pg.ItemsPerSecond / lite.ItemsPerSecond);
            Console.WriteLine($"round {round}: LiteDB {lite} | PostgreSQL {pg} | PostgreSQL/LiteDB {ratios[^1]:P0}");
        }
        Console.WriteLine($"PostgreSQL/LiteDB over {rounds} rounds: {ratios.Min():P0}–{ratios.Max():P0} (median {ratios.Order().ElementAt(ratios.Count / 2):P0})");
        return 0;
    }

    private enum Engine { LiteDb, Postgres }

    private sealed record Result(int Processed, int New, int Stories, TimeSpan Elapsed)
    {
        public double ItemsPerSecond => Processed / Elapsed.TotalSeconds;

        public override string ToString() => $"{ItemsPerSecond:N0} items/s ({Processed:N0} items, {New:N0} new, {Stories:N0} stories, {Elapsed.TotalSeconds:N1} s)";
    }

    private static async Task<Result> IngestAsync(Engine engine, List<FeedConfig> feeds, string postgres)
    {
        var dir = Directory.CreateTempSubdirectory("aggregator-engines-");
        var database = engine == Engine.Postgres ? CreateDatabase(postgres) : null;
        try
        {
            var config = new AggregatorConfig(new StorageOptions(Path.Combine(dir.FullName, "bench.db")),
                HttpOptions.Default with { AllowLoopback = true, MaxConnectionsPerHost = 64, Timeout = TimeSpan.FromSeconds(60), MaxResponseBytes = 64 * 1024 * 1024 },
                new ScheduleOptions(TimeSpan.FromHours(1), 16), new OutputOptions("Bench", new Uri("http://localhost"), 100), new ApiOptions(null), feeds);
            using IStoryStore store = database is null ? StoryStore.Open(config.Storage.Path, TimeProvider.System) : PostgresStoryStore.Open(database, TimeProvider.System);
            await using var services = new ServiceCollection().AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Error))
                .AddAggregatorCore(config, store, TimeProvider.System).BuildServiceProvider();
            var ingestor = services.GetRequiredService<FeedIngestor>();
            var summaries = new List<FeedRunSummary>();
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(feeds, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (feed, cancel) =>
            {
                var summary = await ingestor.IngestAsync(feed, cancel);
                lock (summaries) summaries.Add(summary);
            });
            clock.Stop();
            return new Result(summaries.Sum(s => s.New + s.Duplicate + s.Updated + s.Failed), summaries.Sum(s => s.New), store.StoryCount, clock.Elapsed);
        }
        finally
        {
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

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
