using System.Diagnostics;
using Aggregator.Benchmarks;
using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Benchmarks, run in Release:
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- [--items 100000] [--feeds 200] [--duplicates 0.3]
//       end-to-end ingest: a generated corpus served over loopback HTTP, through the real fetcher,
//       parser, extractor, dedup and LiteDB store
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- parse [--feeds 200] [--items-per-feed 100]
//       parsing alone, against FeedReader alone and a bare XmlReader pass
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- polls [--feeds 1000]
//       steady-state polling, 90% of feeds answering 304 Not Modified
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- dedup [--items 100000] [--duplicates 0.3] [--follow-ups 0.1] [--profile classic|hard] [--seed 7] [--without-counts]
//       the near-duplicate stage alone on a labelled synthetic stream: items/s, lookup time as the index grows, precision/recall;
//       --profile hard: cut copies with local paragraphs, heavy rewording, swaps, follow-ups reusing up to 4 paragraphs (try --items 360 --follow-ups 0.15);
//       --without-counts: the Jaccard-only rule that signatures stored without a shingle count get (the rule before)
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- retention [--stories 200000] [--keep 20000]
//       a long run with the retention sweep: the database file size as stories keep arriving
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- extract [--pages DIR] [--rounds 3] [--out DIR]
//       extraction speed on the Readability dev pages: ours vs SmartReader vs AngleSharp parse alone; writes predictions
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- serve [--stories 10000] [--seconds 10] [--connections 64]
//       HTTP serving of /feeds/world.rss and /api/stories against a bare Kestrel endpoint
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- engines [--items 2000] [--feeds 20] [--duplicates 0.3] [--rounds 3] [--postgres CONN] [--nodes N]
//       the ingest benchmark on LiteDB and on PostgreSQL (CONN, else AGGREGATOR_BENCH_POSTGRES), same corpus, same run: items/s and the ratio;
//       --nodes N: PostgreSQL only, 1 node vs N nodes (N stores on one database) with the feeds divided and with every feed on each, stories checked equal
//   tests/Aggregator.Benchmarks/wrk.sh [--stories 10000] [--seconds 15] [--rounds 3]
//       wrk against the real `aggregator serve` and a bare Kestrel peer with the same bodies, same run
//       (it uses the two commands below: `seed --stories N --out DIR` and `bare --dir DIR --urls URL`)
//   dotnet run -c Release --project tests/Aggregator.Benchmarks -- search [--sizes 10000,100000] [--seconds 5] [--threads 2] [--postgres CONNECTION]
//       q on the term index: queries/s with a new word per query, against the old scan, per store size (PostgreSQL too when given)
if (args.FirstOrDefault() == "search")
{
    await SearchBenchmark.RunAsync([.. ArgText("--sizes", "10000,100000").Split(',').Select(int.Parse)], TimeSpan.FromSeconds(Arg("--seconds", 5)),
        Arg("--threads", 2), args.Contains("--postgres") ? ArgText("--postgres", "") : null);
    return;
}
if (args.FirstOrDefault() == "seed")
{
    await ServeLoad.SeedAsync(Arg("--stories", 10_000), ArgText("--out", "serve-load"));
    return;
}
if (args.FirstOrDefault() == "bare")
{
    await ServeLoad.BareAsync(ArgText("--dir", "bodies"), ArgText("--urls", "http://127.0.0.1:5091"));
    return;
}
if (args.FirstOrDefault() == "serve")
{
    await ServeBenchmark.RunAsync(Arg("--stories", 10_000), TimeSpan.FromSeconds(Arg("--seconds", 10)), Arg("--connections", 64));
    return;
}
if (args.FirstOrDefault() == "engines")
{
    Environment.ExitCode = await EngineBenchmark.RunAsync(Arg("--items", 2_000), Arg("--feeds", 20), Arg("--duplicates", 0.3), Arg("--rounds", 3),
        args.Contains("--postgres") ? ArgText("--postgres", "") : null, Arg("--nodes", 1));
    return;
}
if (args.FirstOrDefault() == "dedup")
{
    DedupBenchmark.Run(Arg("--items", 100_000), Arg("--duplicates", 0.3), Arg("--follow-ups", 0.1),
        Enum.Parse<Aggregator.Tests.Dedup.WireCorpus.Profile>(ArgText("--profile", "classic"), ignoreCase: true), Arg("--seed", 7), args.Contains("--without-counts"));
    return;
}
if (args.FirstOrDefault() == "retention")
{
    await RetentionBenchmark.RunAsync(Arg("--stories", 200_000), Arg("--keep", 20_000));
    return;
}
if (args.FirstOrDefault() == "extract")
{
    ExtractBenchmark.Run(ArgText("--pages", Path.Combine(RepoRoot(), "..", "shared", "fixtures", "readability", "test-pages")), Arg("--rounds", 3),
        ArgText("--out", Path.Combine(Path.GetTempPath(), "aggregator-extract-bench")));
    return;
}
if (args.FirstOrDefault() == "polls")
{
    await PollBenchmark.RunAsync(Arg("--feeds", 1000));
    return;
}
if (args.FirstOrDefault() == "parse")
{
    ParseBenchmark.Run(Arg("--feeds", 200), Arg("--items-per-feed", 100));
    return;
}
var items = Arg("--items", 100_000);
var feedCount = Arg("--feeds", 200);
var duplicates = Arg("--duplicates", 0.3);
var corpus = new Corpus(feedCount, items / feedCount, duplicates);

await using var site = await CorpusServer.StartAsync(corpus);
var dir = Directory.CreateTempSubdirectory("aggregator-bench-");
var feeds = Enumerable.Range(0, feedCount).Select(f => new FeedConfig($"outlet-{f}", new Uri($"{site.BaseUrl}/feed/{f}.xml"), "World", null, null, true, null)).ToList();
var config = new AggregatorConfig(new StorageOptions(Path.Combine(dir.FullName, "bench.db")),
    HttpOptions.Default with { AllowLoopback = true, MaxConnectionsPerHost = 64, Timeout = TimeSpan.FromSeconds(60), MaxResponseBytes = 64 * 1024 * 1024 },
    new ScheduleOptions(TimeSpan.FromHours(1), 16), new OutputOptions("Bench", new Uri("http://localhost"), 100), new ApiOptions(null), feeds);

using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
var services = new ServiceCollection().AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Error)).AddAggregatorCore(config, store, TimeProvider.System).BuildServiceProvider();
var ingestor = services.GetRequiredService<FeedIngestor>();

Console.WriteLine($"ingesting {corpus.TotalItems:N0} items from {feedCount} feeds ({duplicates:P0} cross-feed duplicates) over loopback HTTP…");
var clock = Stopwatch.StartNew();
var summaries = new List<FeedRunSummary>();
await Parallel.ForEachAsync(feeds, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (feed, cancel) =>
{
    var summary = await ingestor.IngestAsync(feed, cancel);
    lock (summaries) summaries.Add(summary);
});
clock.Stop();

var processed = summaries.Sum(s => s.New + s.Duplicate + s.Updated + s.Failed);
var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
Console.WriteLine($"items processed:     {processed:N0} ({summaries.Sum(s => s.New):N0} new stories, {summaries.Sum(s => s.Duplicate):N0} duplicates, {summaries.Sum(s => s.Failed):N0} failed)");
Console.WriteLine($"stories stored:      {store.StoryCount:N0}");
Console.WriteLine($"article pages:       {site.PagesServed:N0} fetched");
Console.WriteLine($"elapsed:             {clock.Elapsed.TotalSeconds:N1} s");
Console.WriteLine($"throughput:          {processed / clock.Elapsed.TotalSeconds:N0} items/s");
Console.WriteLine($"peak working set:    {peak:N0} MiB (process, including the corpus server)");
Console.WriteLine($"database size:       {new FileInfo(config.Storage.Path).Length / 1024.0 / 1024.0:N1} MiB");
store.Dispose();
dir.Delete(recursive: true);

T Arg<T>(string name, T fallback) where T : IParsable<T>
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? T.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}


string ArgText(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Aggregator.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

/// <summary>Serves the corpus on 127.0.0.1, generating each response on request.</summary>
internal sealed class CorpusServer(WebApplication app) : IAsyncDisposable
{
    private int _pages;
    public string BaseUrl => app.Urls.First().TrimEnd('/');
    public int PagesServed => _pages;

    public static async Task<CorpusServer> StartAsync(Corpus corpus)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new CorpusServer(app);
        app.MapGet("/feed/{n:int}.xml", (int n) => Results.Text(corpus.Feed(n, server.BaseUrl), "application/rss+xml"));
        app.MapGet("/a/{story:int}", (int story) => server.Page(corpus.Page(story, null)));
        app.MapGet("/copy/{feed:int}/{story:int}", (int feed, int story) => server.Page(corpus.Page(story, feed)));
        await app.StartAsync();
        return server;
    }

    private IResult Page(string html)
    {
        Interlocked.Increment(ref _pages);
        return Results.Text(html, "text/html; charset=utf-8");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
