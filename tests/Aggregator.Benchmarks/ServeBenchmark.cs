using System.Diagnostics;
using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aggregator.Benchmarks;

/// <summary>
/// Serving: requests per second and p99 latency of /feeds/world.rss and /api/stories at 64
/// concurrent connections on loopback with 10,000 stories stored, against a bare Kestrel endpoint
/// returning a fixed body of the same size, measured in the same run.
/// </summary>
internal static class ServeBenchmark
{
    public static async Task RunAsync(int stories, TimeSpan duration, int connections)
    {
        var dir = Directory.CreateTempSubdirectory("aggregator-serve-");
        var feeds = new[] { new FeedConfig("wire", new Uri("https://wire.example/rss"), "World", "Wire", null, true, null) };
        var config = new AggregatorConfig(new StorageOptions(Path.Combine(dir.FullName, "serve.db")), HttpOptions.Default,
            new ScheduleOptions(TimeSpan.FromMinutes(15), 8), new OutputOptions("Bench", new Uri("http://localhost:5080"), 100), new ApiOptions(null), feeds);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await SeedAsync(store, stories);

        var app = AggregatorApp.Build(config, store, TimeProvider.System, "http://127.0.0.1:0", TimeSpan.Zero, schedule: false);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var rssBody = await client.GetByteArrayAsync("/feeds/world.rss");
        await using var bare = await StartBareAsync(rssBody);

        Console.WriteLine($"serving with {stories:N0} stories stored, {connections} concurrent connections, {duration.TotalSeconds:N0} s per endpoint:");
        var baseline = await LoadAsync("bare Kestrel, fixed body", new Uri(bare.Urls.First()), "/", duration, connections);
        foreach (var path in new[] { "/feeds/world.rss", "/api/stories", "/api/stories?limit=50&q=river" })
        {
            var rps = await LoadAsync(path, new Uri(app.Urls.First()), path, duration, connections);
            Console.WriteLine($"    = {rps / baseline:P0} of the bare endpoint");
        }
        await app.DisposeAsync();
        store.Dispose();
        dir.Delete(recursive: true);
    }

    public static async Task SeedAsync(StoryStore store, int count)
    {
        var now = DateTime.UtcNow;
        var text = string.Join("\n\n", Enumerable.Range(0, 8).Select(i => $"Paragraph {i} of the story, with words about rivers, ports, markets and the weather, told at some length."));
        var html = string.Concat(text.Split("\n\n").Select(p => $"<p>{p}</p>"));
        var tasks = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var id = StoryKeys.Hash($"story{i}")[..16];
            var published = now.AddMinutes(-i);
            tasks.Add(store.AddOrAttachAsync(new StoryRecord
            {
                Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = $"Story {i} about the {(i % 7 == 0 ? "river" : "market")}",
                Url = $"https://wire.example/{i}", Category = "World", Summary = "A summary.", Text = text, Html = html,
                Published = published, FirstSeen = now, Updated = now,
                Sources = [new StorySource { FeedId = "wire", Title = "Wire", Url = $"https://wire.example/{i}", FirstSeen = now }],
            }, [new StoryKey(StoryKeys.Url, StoryKeys.Hash($"url{i}"))], now));
        }
        await Task.WhenAll(tasks);
    }

    private static async Task<WebApplication> StartBareAsync(byte[] body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", () => Results.Bytes(body, "application/rss+xml"));
        await app.StartAsync();
        return app;
    }

    private static async Task<double> LoadAsync(string name, Uri baseUrl, string path, TimeSpan duration, int connections)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl };
        for (var i = 0; i < 50; i++) (await client.GetAsync(path)).Dispose(); // warm up
        var latencies = new List<double>[connections];
        var stop = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (DateTime.UtcNow < stop)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path);
                await response.Content.CopyToAsync(Stream.Null);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        var rps = all.Count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name,-32} {rps,9:N0} req/s   p50 {all[all.Count / 2],6:N1} ms   p99 {all[(int)(all.Count * 0.99)],6:N1} ms");
        return rps;
    }
}
