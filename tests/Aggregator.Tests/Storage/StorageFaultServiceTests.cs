using System.Net;
using System.Text.Json;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Storage;

/// <summary>Storage faults as operators and readers meet them: feed status, /health, 503 problems, and recovery by itself.</summary>
public sealed class StorageFaultServiceTests
{
    private static string Rss(LoopbackServer server, int count) =>
        "<rss version=\"2.0\"><channel><title>T</title>" + string.Concat(Enumerable.Range(0, count).Select(n =>
            $"<item><title>Item {n}</title><link>{server.Url($"/p/{n}")}</link><guid isPermaLink=\"false\">g{n}</guid></item>")) + "</channel></rss>";

    private static string Page(int n) =>
        $"<html><head><title>Item {n}</title></head><body><article><h1>Item {n}</h1>" +
        string.Concat(Enumerable.Range(0, 40).Select(p => $"<p>Paragraph {p} of item {n}: {string.Join(' ', Enumerable.Range(0, 40).Select(w => $"w{(w * 7 + n * 13 + p) % 211}"))}.</p>")) +
        "</article></body></html>";

    [SkippableFact]
    public async Task OnAFullDisk_TheFeedIsFailingWithTheReason_HealthIs503_AndIngestResumesWhenSpaceIsFreed()
    {
        using var disk = SmallDisk.Mount(4);
        await using var server = await LoopbackServer.StartAsync();
        // The feed sends a validator: had the failed poll saved it, the next poll would be a 304 and the items lost.
        server.Map("/feed.xml", async context =>
        {
            if (context.Request.Headers.IfNoneMatch == "\"v1\"") { context.Response.StatusCode = 304; return; }
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Rss(server, 30));
        });
        for (var n = 0; n < 30; n++) server.MapText($"/p/{n}", Page(n));
        var feed = TestConfigs.Feed("f", server.Url("/feed.xml"));
        var config = TestConfigs.For(disk.File("a.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var api = await ApiHost.StartAsync(config, store);
        using var pipelines = new Pipelines(config, store);

        var filler = disk.Fill(leaveBytes: 64 * 1024);
        var failed = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal("failing", failed.Status);
        Assert.Contains("No space left", failed.Error);
        Assert.True(failed.Failed > 0);

        using var feeds = JsonDocument.Parse(await api.Client.GetStringAsync("/api/feeds"));
        var state = feeds.RootElement[0];
        Assert.Equal("failing", state.GetProperty("status").GetString());
        Assert.Equal("storage", state.GetProperty("errorClass").GetString());
        Assert.Contains("No space left", state.GetProperty("error").GetString());
        var health = await api.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("No space left", await health.Content.ReadAsStringAsync());

        File.Delete(filler);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!store.Health.Writable && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health")).StatusCode);
        var resumed = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal("ok", resumed.Status);
        Assert.Equal(30, store.StoryCount);
        Assert.Equal(30, store.QueryStories(new StoryQuery(100)).Items.Count);
    }

    [Fact]
    public async Task AReadThatHitsADamagedPage_Answers503ProblemJson_AndMarksHealth()
    {
        using var dir = new TempDirectory();
        var config = TestConfigs.For(dir.File("a.db"));
        var now = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var writer = StoryStore.Open(config.Storage.Path, TimeProvider.System))
            for (var n = 0; n < 300; n++)
                await writer.AddOrAttachAsync(new StoryRecord
                {
                    Id = $"{n:D16}", SortKey = StoryRecord.MakeSortKey(now.AddMinutes(n), $"{n:D16}"), Title = $"Story {n}", Category = "World",
                    Published = now.AddMinutes(n), FirstSeen = now, Updated = now, Text = new string('x', 3000) + n,
                    Sources = [new StorySource { FeedId = "f", Url = $"https://x.org/{n}", FirstSeen = now }],
                }, [new(Core.Dedup.StoryKeys.Url, Core.Dedup.StoryKeys.Hash($"https://x.org/{n}"))], now);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var api = await ApiHost.StartAsync(config, store);
        // The file is damaged under the running service (a failing disk): pages not yet cached are garbage.
        using (var file = new FileStream(config.Storage.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            var garbage = new byte[64 * 1024];
            new Random(9).NextBytes(garbage);
            file.Position = file.Length / 3;
            file.Write(garbage);
        }
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/api/stories?limit=200", "/feeds/world.rss?limit=200", "/api/stories?limit=200&q=zz" })
        {
            var response = await api.Client.GetAsync(path);
            statuses.Add(response.StatusCode);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        var health = await api.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("aggregator check --repair", await health.Content.ReadAsStringAsync());
    }
}
