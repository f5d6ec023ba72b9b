using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Webhooks;

/// <summary>
/// At least once across a crash: <c>aggregator serve</c> (the built binary, as a process) ingests
/// while its webhook target fails, is killed with SIGKILL, and after a restart delivers every event.
/// </summary>
public sealed class WebhookCrashTests : IDisposable
{
    private const string Secret = "crash-test-shared-secret";
    private const int Items = 4;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task EventsNotYetDeliveredWhenServeIsKilledAreDeliveredAfterTheRestart()
    {
        await using var site = await LoopbackServer.StartAsync();
        var rss = new StringBuilder("<rss version=\"2.0\"><channel><title>Wire</title>");
        for (var n = 1; n <= Items; n++)
            rss.Append($"<item><title>Wire story {n}</title><link>{site.BaseUrl}wire/{n}</link><guid>wire-{n}</guid><description>Story {n}: {string.Join(' ', Enumerable.Range(0, 30).Select(w => $"w{n * 31 + w}"))}</description></item>");
        site.MapText("/wire.xml", rss.Append("</channel></rss>").ToString(), "application/rss+xml");
        await using var receiver = await WebhookReceiver.StartAsync(Secret, "/hook");
        receiver.Status = 503; // the downstream app is down while the events are made

        var config = _dir.File("feeds.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            storage = new { path = "data/hooks.db" },
            http = new { allowLoopback = true },
            schedule = new { defaultInterval = "01:00:00" },
            feeds = new[] { new { id = "wire", url = site.Url("/wire.xml").ToString(), fullText = false } },
            webhooks = new[] { new { id = "app", url = receiver.Url("/hook").ToString(), events = new[] { "story.created" }, secret = Secret } },
        }));

        var port = CliProcess.FreePort();
        using (var first = CliProcess.StartServe(config, port))
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            await CliProcess.WaitHealthy(http, first);
            await http.PostAsync("/api/feeds/wire/refresh", null);
            await WebhookReceiver.Until(() => Hook(http).GetProperty("failures").GetInt32() >= 1, "a failed delivery round", 30);
            Assert.Equal(Items, (await http.GetFromJsonAsync<JsonElement>("/api/stories")).GetProperty("items").GetArrayLength());
            Assert.Equal(503, Hook(http).GetProperty("lastStatus").GetInt32());
            first.Kill(); // SIGKILL: no shutdown, nothing flushed
            await first.WaitForExitAsync();
        }
        Assert.All(receiver.Received, d => Assert.Equal(receiver.Received.First().EventId, d.EventId)); // only the first event was tried

        receiver.Status = 200; // the app is back
        port = CliProcess.FreePort();
        using var second = CliProcess.StartServe(config, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await CliProcess.WaitHealthy(client, second);
        await WebhookReceiver.Until(() => receiver.Received.Where(d => d.Body.GetProperty("story").ValueKind == JsonValueKind.Object)
            .Select(d => d.EventId).Distinct().Count() == Items, "every event delivered after the restart", 40);

        var stories = (await client.GetFromJsonAsync<JsonElement>("/api/stories")).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order().ToList();
        var delivered = receiver.Received.GroupBy(d => d.EventId).Select(g => g.Last()).ToList();
        Assert.All(receiver.Received, d => Assert.True(d.SignatureValid));
        Assert.All(delivered, d => Assert.Equal("story.created", d.Type));
        Assert.Equal(stories, delivered.Select(d => d.Body.GetProperty("story").GetProperty("id").GetString()).Order().ToList());
        await WebhookReceiver.Until(() => Hook(client).GetProperty("failures").GetInt32() == 0, "the status caught up");
        var status = Hook(client);
        Assert.Equal(status.GetProperty("latestEventId").GetInt64(), status.GetProperty("lastDeliveredId").GetInt64());
        Assert.Equal(200, status.GetProperty("lastStatus").GetInt32());
        second.Kill();
    }

    private static JsonElement Hook(HttpClient http) =>
        http.GetFromJsonAsync<JsonElement>("/api/webhooks").GetAwaiter().GetResult().EnumerateArray().Single();

    public void Dispose() => _dir.Dispose();
}
