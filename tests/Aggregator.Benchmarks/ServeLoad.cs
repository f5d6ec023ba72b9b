using System.Text.Json;
using Aggregator.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aggregator.Benchmarks;

/// <summary>
/// The two halves <c>wrk.sh</c> needs around the real <c>aggregator serve</c>: <c>seed</c> writes a
/// feeds.json and a LiteDB store with N stories, <c>bare</c> is a bare Kestrel peer that answers
/// each file of a folder at <c>/{name}</c> with its fixed bytes (the bodies the real server gave).
/// </summary>
internal static class ServeLoad
{
    public static async Task SeedAsync(int stories, string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        var config = new
        {
            storage = new { path = "data/aggregator.db" },
            output = new { title = "Bench", publicUrl = "http://localhost:5080", maxItems = 100 },
            retention = new { days = 3650, maxStories = 1_000_000 },
            // Never answers (a reserved name): polls fail fast and only record the feed's state.
            feeds = new[] { new { id = "wire", url = "https://wire.invalid/rss", category = "World", title = "Wire", interval = "1.00:00:00" } },
        };
        await File.WriteAllTextAsync(Path.Combine(dir, "feeds.json"), JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
        using var store = StoryStore.Open(Path.Combine(dir, "data", "aggregator.db"), TimeProvider.System);
        await ServeBenchmark.SeedAsync(store, stories);
        Console.WriteLine($"seeded {store.StoryCount:N0} stories in {dir}");
    }

    public static async Task BareAsync(string dir, string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        foreach (var file in Directory.GetFiles(dir))
        {
            var body = await File.ReadAllBytesAsync(file);
            var type = Path.GetExtension(file) switch
            {
                ".rss" => "application/rss+xml; charset=utf-8",
                ".html" => "text/html; charset=utf-8",
                _ => "application/json; charset=utf-8",
            };
            app.MapGet("/" + Path.GetFileName(file), () => Results.Bytes(body, type));
        }
        await app.RunAsync();
    }
}
