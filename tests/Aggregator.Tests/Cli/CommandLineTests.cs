using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Cli;

/// <summary>The <c>aggregator</c> binary, run as a real process: the CLI contract and exit codes.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("fetch")]
    [InlineData("parse")]
    [InlineData("extract")]
    [InlineData("validate")]
    [InlineData("split")]
    [InlineData("backup")]
    [InlineData("opml")]
    [InlineData("boilerplate")]
    [InlineData("migrate")]
    public async Task EveryCommandHasHelp(string command)
    {
        var (exit, stdout, _) = await CliProcess.Run([command, "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("--", stdout);
        Assert.Contains(command, stdout);
    }

    [Fact]
    public async Task UsageErrorsExitWith2()
    {
        Assert.Equal(2, (await CliProcess.Run(["fetch", "--no-such-option"])).Exit);
        Assert.Equal(2, (await CliProcess.Run(["parse"])).Exit);
        Assert.Equal(2, (await CliProcess.Run(["parse", "--url", "not a url", "x.xml"])).Exit);
    }

    [Fact]
    public async Task ValidateNamesEveryProblemAndExits2()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("feeds.json"), """{"feeds":[{"id":"a","url":"nope"},{"id":"a","url":"https://x.org/","interval":"soon"}]}""");
        var (exit, _, stderr) = await CliProcess.Run(["validate", "--config", dir.File("feeds.json")]);
        Assert.Equal(2, exit);
        Assert.Contains("$.feeds[0].url", stderr);
        Assert.Contains("$.feeds[1].interval", stderr);
        Assert.Contains("$.feeds[1].id: duplicate id", stderr);
        Assert.Equal(0, (await CliProcess.Run(["validate", "--config", Path.Combine(Repo.Root, "feeds.json")])).Exit);
    }

    [Fact]
    public async Task ParseBatchKeepsInputOrderAndReportsFailuresInline()
    {
        using var dir = new TempDirectory();
        var seed = Repo.Seed("gulfwire-world.xml");
        File.WriteAllText(dir.File("atom.xml"), """<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>E</title><link href="e1"/></entry></feed>""");
        File.WriteAllLines(dir.File("list.jsonl"), [
            JsonSerializer.Serialize(new { file = seed, url = "https://gulfwire.example/feed.xml", contentType = "application/rss+xml" }),
            JsonSerializer.Serialize(new { file = dir.File("missing.xml") }),
            JsonSerializer.Serialize(new { file = dir.File("atom.xml"), url = "https://atom.example/feeds/" }),
        ]);
        var (exit, stdout, _) = await CliProcess.Run(["parse", "--batch", dir.File("list.jsonl")]);
        Assert.Equal(1, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("rss20", lines[0].GetProperty("version").GetString());
        Assert.Equal(4, lines[0].GetProperty("items").GetArrayLength());
        Assert.True(lines[1].TryGetProperty("error", out _));
        Assert.Equal("https://atom.example/feeds/e1", lines[2].GetProperty("items")[0].GetProperty("link").GetString());
    }

    [Fact]
    public async Task ExtractPrintsTheContractKeys()
    {
        var page = Repo.Seed("wordpress-1.html");
        var (exit, stdout, _) = await CliProcess.Run(["extract", "--url", "https://gulfwire.example/a.html", page]);
        Assert.Equal(0, exit);
        var line = JsonDocument.Parse(stdout).RootElement;
        // The contract's keys in order, then its extensions (extractedBy: the detection path).
        Assert.Equal(["file", "url", "title", "byline", "published", "language", "text", "html", "extractedBy"], line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("US and Russia face deep differences ahead of Ukraine talks", line.GetProperty("title").GetString());
        Assert.Equal("readability", line.GetProperty("extractedBy").GetString());
    }

    [Fact]
    public async Task FetchIntoADatabaseThenServeItOverHttp()
    {
        await using var site = await LoopbackServer.StartAsync();
        site.MapText("/feed.xml", """
            <rss version="2.0"><channel><title>Loop News</title>
            <item><title>Bridge reopens after repairs</title><link>{base}/bridge</link><guid>b1</guid><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>
            </channel></rss>
            """, "application/rss+xml");
        site.MapText("/bridge", """
            <html><head><title>Bridge reopens after repairs - Loop News</title></head><body><header>Loop News menu</header>
            <article><h1>Bridge reopens after repairs</h1><p>The city's main bridge reopened on Monday after eight months of repairs, easing traffic across the river.</p>
            <p>Engineers replaced the deck and strengthened the piers, the transport department said, adding that the work came in under budget.</p>
            <p>For the latest headlines, follow our Google News channel online or via the app.</p>
            <div class="share-bar">Share Tweet</div></article><aside>Trending now</aside></body></html>
            """);
        // A relay whose page names the original as canonical: merged, and split off again below.
        site.MapText("/relay.xml", """
            <rss version="2.0"><channel><title>Relay</title>
            <item><title>Bridge open again</title><link>{base}/relay/bridge</link><guid>r1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>
            </channel></rss>
            """, "application/rss+xml");
        site.MapText("/relay/bridge", """
            <html><head><title>Bridge open again</title><link rel="canonical" href="{base}/bridge"></head><body><article><h1>Bridge open again</h1>
            <p>The bridge is open again, the city said on Monday, after months of work on its deck and piers.</p></article></body></html>
            """);
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("feeds.json"), $$"""
            {"storage":{"path":"data/test.db","backupDir":"backups"},"http":{"allowLoopback":true},
             "feeds":[{"id":"loop","url":"{{site.Url("/feed.xml")}}","title":"Loop News"},{"id":"gone","url":"{{site.Url("/gone.xml")}}"},
                      {"id":"relay","url":"{{site.Url("/relay.xml")}}"}]}
            """);

        var fetch = await CliProcess.Run(["fetch", "--config", dir.File("feeds.json"), "--feed", "loop"]);
        Assert.Equal(0, fetch.Exit);
        fetch = await CliProcess.Run(["fetch", "--config", dir.File("feeds.json")]);
        Assert.Equal(1, fetch.Exit); // "gone" failed, the others were still processed
        Assert.Contains("relay: ok, 0 new, 0 updated, 1 duplicate", fetch.Stdout);
        Assert.Contains("gone: failing", fetch.Stdout);

        var port = CliProcess.FreePort();
        var serve = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { Repo.CliDll, "serve", "--config", dir.File("feeds.json"), "--urls", $"http://127.0.0.1:{port}" }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var stories = await Poll(http, "/api/stories");
            var story = stories.GetProperty("items")[0];
            Assert.Equal("Bridge reopens after repairs", story.GetProperty("title").GetString());
            var detail = JsonDocument.Parse(await http.GetStringAsync($"/api/stories/{story.GetProperty("id").GetString()}")).RootElement;
            Assert.Contains(detail.GetProperty("extractedBy").GetString(), new[] { "rules", "readability", "jsonld", "baseline", "feed" });
            Assert.Equal("The city's main bridge reopened on Monday after eight months of repairs, easing traffic across the river.\n\n" +
                         "Engineers replaced the deck and strengthened the piers, the transport department said, adding that the work came in under budget.",
                detail.GetProperty("text").GetString());

            var second = await CliProcess.Run(["fetch", "--config", dir.File("feeds.json")]);
            Assert.Equal(2, second.Exit);
            Assert.Contains("in use by another Aggregator process", second.Stderr);

            // The CLI split goes through the running service, which holds the database.
            Assert.Equal("canonical", detail.GetProperty("sources")[1].GetProperty("matchedBy").GetString());
            var split = await CliProcess.Run(["split", "--config", dir.File("feeds.json"), "--server", $"http://127.0.0.1:{port}",
                story.GetProperty("id").GetString()!, site.Url("/relay/bridge").ToString()]);
            Assert.True(split.Exit == 0, split.Stderr);
            Assert.Equal("Bridge open again", JsonDocument.Parse(split.Stdout).RootElement.GetProperty("to").GetProperty("title").GetString());
            Assert.Equal(2, JsonDocument.Parse(await http.GetStringAsync("/api/stories")).RootElement.GetProperty("items").GetArrayLength());

            // A backup while serving is taken by the service itself; the copy is verified and complete.
            Directory.CreateDirectory(dir.File("backups"));
            var backup = await CliProcess.Run(["backup", "--config", dir.File("feeds.json"), "--server", $"http://127.0.0.1:{port}", dir.File("backups/backup-1.db")]);
            Assert.True(backup.Exit == 0, backup.Stderr);
            Assert.Equal(2, JsonDocument.Parse(backup.Stdout).RootElement.GetProperty("stories").GetInt32());
            var exists = await CliProcess.Run(["backup", "--config", dir.File("feeds.json"), "--server", $"http://127.0.0.1:{port}", dir.File("backups/backup-1.db")]);
            Assert.Equal(1, exists.Exit);
            Assert.Contains("already exists", exists.Stderr);
            // Only storage.backupDir: the same rule as POST /api/backup, checked before the service is asked.
            foreach (var outside in new[] { "/etc/cron.d/x", dir.File("backups/../x.db"), dir.File("data/x.db") })
            {
                var refused = await CliProcess.Run(["backup", "--config", dir.File("feeds.json"), "--server", $"http://127.0.0.1:{port}", outside]);
                Assert.Equal(2, refused.Exit);
                Assert.Contains("outside storage.backupDir", refused.Stderr);
            }
            Assert.False(File.Exists("/etc/cron.d/x") || File.Exists(dir.File("x.db")));
        }
        finally
        {
            Process.Start("kill", ["-TERM", serve.Id.ToString()])!.WaitForExit();
            Assert.True(serve.WaitForExit(30_000), "serve did not stop within 30 s of SIGTERM");
            Assert.Contains("api.key is not set: operator routes", serve.StandardOutput.ReadToEnd()); // said at start
            serve.Dispose();
        }

        // The backup restores: opened as a database, it holds the stories the service had.
        using (var restored = Core.Storage.StoryStore.Open(dir.File("backups/backup-1.db"), TimeProvider.System))
            Assert.Equal(["Bridge open again", "Bridge reopens after repairs"], restored.QueryStories(new Core.Storage.StoryQuery(10)).Items.Select(s => s.Title).Order());
        var direct = await CliProcess.Run(["backup", "--config", dir.File("feeds.json"), dir.File("backups/backup-2.db")]);
        Assert.True(direct.Exit == 0, direct.Stderr);
        Assert.Contains("2 stories (verified)", direct.Stdout);

        // What the sites taught so far (one article each: nothing learned yet).
        var boilerplate = await CliProcess.Run(["boilerplate", "--config", dir.File("feeds.json")]);
        Assert.Equal(0, boilerplate.Exit);
        Assert.Contains("127.0.0.1: 0 learned line(s) from its last 2 article(s)", boilerplate.Stdout);

        // Directly on the database once it is free: the relay is now alone in its story, so there is nothing to split.
        var again = await CliProcess.Run(["split", "--config", dir.File("feeds.json"), "ffffffffffffffff", site.Url("/relay/bridge").ToString()]);
        Assert.Equal(1, again.Exit);
        Assert.Contains("no story with id", again.Stderr);
    }

    [Fact]
    public async Task StartUpProblemsAreOneLineErrorsWithExit2()
    {
        using var dir = new TempDirectory();
        string Config(string storage)
        {
            var path = dir.File($"feeds-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, $$"""{"storage":{{storage}},"feeds":[{"id":"a","url":"https://example.org/rss"}]}""");
            return path;
        }
        var nul = await CliProcess.Run(["validate", "--config", Config("""{"path":"data/a\u0000b.db"}""")]);
        Assert.Equal(2, nul.Exit);
        Assert.Contains("$.storage.path: must be a path without control characters", nul.Stderr);
        var folder = await CliProcess.Run(["validate", "--config", Config("""{"path":"/etc","backupDir":"/etc/passwd"}""")]);
        Assert.Equal(2, folder.Exit);
        Assert.Contains("$.storage.path: /etc is a folder", folder.Stderr);
        Assert.Contains("$.storage.backupDir: /etc/passwd is a file", folder.Stderr);

        // A file that cannot hold a database is not "in use by another Aggregator process".
        var proc = await CliProcess.Run(["fetch", "--config", Config("""{"path":"/proc/version"}""")]);
        Assert.Equal(2, proc.Exit);
        Assert.DoesNotContain("in use", proc.Stderr);
        Assert.Contains("storage: /proc/version: is not an Aggregator (LiteDB) database", proc.Stderr);
        Assert.DoesNotContain("   at ", proc.Stderr + proc.Stdout);

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var serve = await CliProcess.Run(["serve", "--config", Config("""{"path":"data/x.db"}"""), "--urls", $"http://127.0.0.1:{port}"]);
        Assert.Equal(2, serve.Exit);
        Assert.Equal($"serve: cannot listen on http://127.0.0.1:{port}: the address is already in use", serve.Stderr.Trim().Split(" (")[0]);
        Assert.Single(serve.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", serve.Stdout);
    }

    private static async Task<JsonElement> Poll(HttpClient http, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            try { return JsonDocument.Parse(await http.GetStringAsync(path)).RootElement; }
            catch (HttpRequestException) { await Task.Delay(200); }
        }
        throw new TimeoutException($"{path} never answered");
    }
}
