using System.Diagnostics;
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

namespace Aggregator.Benchmarks;

/// <summary>
/// Steady-state polling: many feeds on a loopback server, 90% answering 304 Not Modified to the
/// validators of the previous poll, the rest sending their (unchanged) items again. Measures the
/// second pass: polls per second and CPU per poll, through the real fetcher, parser and store.
/// </summary>
internal static class PollBenchmark
{
    public static async Task RunAsync(int feedCount)
    {
        await using var app = await StartServerAsync();
        var baseUrl = app.Urls.First().TrimEnd('/');
        var dir = Directory.CreateTempSubdirectory("aggregator-polls-");
        var feeds = Enumerable.Range(0, feedCount).Select(f => new FeedConfig($"feed-{f}", new Uri($"{baseUrl}/feed/{f}.xml"), "World", null, null, false, null)).ToList();
        // One loopback host stands in for a thousand publishers, so the per-host budget is raised.
        var config = new AggregatorConfig(new StorageOptions(Path.Combine(dir.FullName, "polls.db")),
            HttpOptions.Default with { AllowLoopback = true, MaxConnectionsPerHost = 64 }, new ScheduleOptions(TimeSpan.FromMinutes(15), 16),
            new OutputOptions("Bench", new Uri("http://localhost"), 100), new ApiOptions(null), feeds);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Error)).AddAggregatorCore(config, store, TimeProvider.System).BuildServiceProvider();
        var ingestor = services.GetRequiredService<FeedIngestor>();

        await PassAsync(ingestor, feeds); // first poll: every feed answers 200 and stores its validators
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var statuses = await PassAsync(ingestor, feeds);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"second pass over {feedCount:N0} feeds: {statuses.Count(s => s == FeedStatus.NotModified):N0} not modified, {statuses.Count(s => s == FeedStatus.Ok):N0} re-sent");
        Console.WriteLine($"  {feedCount / clock.Elapsed.TotalSeconds:N0} polls/s, {cpu.TotalMilliseconds * 1000 / feedCount:N0} µs CPU per poll (process, including the loopback server)");
        store.Dispose();
        dir.Delete(recursive: true);
    }

    private static async Task<List<string>> PassAsync(FeedIngestor ingestor, List<FeedConfig> feeds)
    {
        var statuses = new List<string>();
        await Parallel.ForEachAsync(feeds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (feed, cancel) =>
        {
            var summary = await ingestor.IngestAsync(feed, cancel);
            lock (statuses) statuses.Add(summary.Status);
        });
        return statuses;
    }

    private static async Task<WebApplication> StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/feed/{n:int}.xml", (int n, HttpContext context) =>
        {
            var etag = $"\"v{n}\"";
            if (n % 10 != 0 && context.Request.Headers.IfNoneMatch == etag) return Results.StatusCode(304);
            context.Response.Headers.ETag = etag;
            var items = string.Concat(Enumerable.Range(0, 5).Select(i =>
                $"<item><title>Story {n}-{i}</title><link>http://outlet{n}.example/{i}</link><guid>{n}-{i}</guid><pubDate>Mon, 01 Jun 2026 0{i}:00:00 GMT</pubDate><description>Item {i} of feed {n}.</description></item>"));
            return Results.Text($"<rss version=\"2.0\"><channel><title>Feed {n}</title>{items}</channel></rss>", "application/rss+xml");
        });
        await app.StartAsync();
        return app;
    }
}
