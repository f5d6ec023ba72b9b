using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Aggregator.Tests.Support;
using Xunit.Abstractions;

namespace Aggregator.Tests.Operations;

/// <summary>
/// The durability promise, tested the hard way: <c>aggregator serve</c> is killed with SIGKILL at
/// random moments while it ingests from feeds that keep publishing. Every story the API showed
/// before the kill (the API reads committed data only) must be there after a restart, none twice,
/// and the service must start and ingest again each time.
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Rounds = 10;
    private static readonly string[] Feeds = ["one", "two", "three"];

    [Fact]
    public async Task KilledAtRandomPointsItLosesNothingAcknowledgedAndNeverDoublesAStory()
    {
        await using var site = await LoopbackServer.StartAsync();
        var published = new int[Feeds.Length];
        for (var f = 0; f < Feeds.Length; f++)
        {
            var feed = f;
            site.Map($"/{Feeds[f]}.xml", async context =>
            {
                // Each poll publishes 4 new items; the feed lists the newest 25.
                var newest = Interlocked.Add(ref published[feed], 4);
                var xml = new StringBuilder($"<rss version=\"2.0\"><channel><title>{Feeds[feed]}</title>");
                for (var n = newest; n > Math.Max(0, newest - 25); n--)
                    xml.Append($"<item><title>{Feeds[feed]} story {n}</title><link>{site.BaseUrl}{Feeds[feed]}/{n}</link><guid>{Feeds[feed]}-{n}</guid>")
                       .Append($"<description>Story {n} of feed {Feeds[feed]}: {string.Join(' ', Enumerable.Range(0, 40).Select(w => $"w{(n * 41 + w * 7 + feed) % 997}"))}.</description></item>");
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(xml.Append("</channel></rss>").ToString());
            });
        }
        using var dir = new TempDirectory();
        var config = dir.File("feeds.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            storage = new { path = "data/crash.db" },
            http = new { allowLoopback = true },
            schedule = new { defaultInterval = "01:00:00" },
            feeds = Feeds.Select(f => new { id = f, url = site.Url($"/{f}.xml").ToString(), fullText = false }),
        }));

        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        var acknowledged = new Dictionary<string, string>(); // story id → its item's URL
        for (var round = 0; round <= Rounds; round++)
        {
            var port = CliProcess.FreePort();
            using var service = CliProcess.StartServe(config, port);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await CliProcess.WaitHealthy(http, service);

            // After each restart: everything acknowledged before the kill is there, nothing twice.
            var stories = await AllStories(http);
            var missing = acknowledged.Keys.Except(stories.Keys).ToList();
            Assert.True(missing.Count == 0, $"round {round}: {missing.Count} acknowledged stories lost");
            var guids = stories.Values.SelectMany(g => g).ToList();
            Assert.True(guids.Count == guids.Distinct().Count(), $"round {round}: an item is in two stories");
            Assert.All(stories.Values, g => Assert.Single(g));
            if (round == Rounds)
            {
                // The last start: it ingests again.
                var before = stories.Count;
                foreach (var feed in Feeds) await http.PostAsync($"/api/feeds/{feed}/refresh", null);
                await Until(async () => (await AllStories(http)).Count > before, "ingesting after the last restart");
                // A second instance on the same database is refused while this one runs.
                var second = await CliProcess.Run(["serve", "--config", config, "--urls", $"http://127.0.0.1:{CliProcess.FreePort()}"], TimeSpan.FromSeconds(30));
                Assert.Equal(2, second.Exit);
                Assert.Contains("in use by another Aggregator process", second.Stderr);
                output.WriteLine($"{Rounds} kills; {acknowledged.Count} stories acknowledged before the kills, lost 0; {before} stories at the end");
                service.Kill();
                break;
            }

            // Ingest, reading back what is committed, and kill at a random moment.
            var deadline = Stopwatch.StartNew();
            var runFor = TimeSpan.FromMilliseconds(random.Next(300, 2500));
            while (deadline.Elapsed < runFor)
            {
                foreach (var feed in Feeds) _ = http.PostAsync($"/api/feeds/{feed}/refresh", null);
                foreach (var (id, guidList) in await AllStories(http)) acknowledged[id] = guidList[0];
                await Task.Delay(random.Next(20, 150));
            }
            service.Kill(); // SIGKILL
            await service.WaitForExitAsync();
        }
        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} stories were ingested: the test did not exercise much");
    }

    /// <summary>Story id → the URLs of its sources (one per item here), every page.</summary>
    private static async Task<Dictionary<string, List<string>>> AllStories(HttpClient http)
    {
        var result = new Dictionary<string, List<string>>();
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/stories?limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            foreach (var story in page.GetProperty("items").EnumerateArray())
                result[story.GetProperty("id").GetString()!] = story.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList();
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return result;
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out: {what}");
    }
}
