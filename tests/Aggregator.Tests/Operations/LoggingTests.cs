using System.Diagnostics;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Operations;

/// <summary>Structured logs: JSON lines carrying FeedId; the API key appears nowhere.</summary>
public class LoggingTests
{
    private const string Key = "operator-secret-key-0123456789";

    [Fact]
    public async Task JsonLogsCarryTheFeedIdAndNeverTheApiKey()
    {
        await using var site = await LoopbackServer.StartAsync();
        site.MapText("/feed.xml", "<rss version=\"2.0\"><channel><title>L</title><item><title>Logged story</title><link>{base}/a</link><guid>l1</guid></item></channel></rss>", "application/rss+xml");
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("feeds.json"), JsonSerializer.Serialize(new
        {
            http = new { allowLoopback = true },
            api = new { key = Key },
            feeds = new[] { new { id = "logged", url = site.Url("/feed.xml").ToString(), fullText = false }, new { id = "broken", url = site.Url("/missing.xml").ToString(), fullText = false } },
        }));
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Repo.CliDll, "serve", "--config", dir.File("feeds.json"), "--urls", "http://127.0.0.1:0" }, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AGGREGATOR_LOG_FORMAT"] = "json";
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Both first polls are due within 15 s of the start.
            static bool Done(List<string> seen) =>
                seen.Any(l => l.Contains("\"broken\"", StringComparison.Ordinal) && l.Contains("http-4xx", StringComparison.Ordinal))
                && seen.Any(l => l.Contains("\"FeedId\":\"logged\"", StringComparison.Ordinal) && l.Contains("1 new", StringComparison.Ordinal));
            for (var i = 0; i < 300 && !Done(Snapshot(lines)); i++) await Task.Delay(100);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        var logged = Snapshot(lines);
        Assert.NotEmpty(logged);
        var entries = logged.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // every line is one JSON object
        var failure = entries.First(e => e.GetProperty("Message").GetString()!.Contains("http-4xx", StringComparison.Ordinal));
        Assert.Equal("broken", failure.GetProperty("State").GetProperty("FeedId").GetString());
        var summary = entries.First(e => e.GetProperty("Message").GetString()!.Contains("logged: ok, 1 new", StringComparison.Ordinal));
        Assert.Contains(summary.GetProperty("Scopes").EnumerateArray(), scope => scope.TryGetProperty("FeedId", out var id) && id.GetString() == "logged");
        Assert.DoesNotContain(logged, l => l.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public void TheApiKeyIsRedactedFromConfigurationText()
    {
        var config = ConfigLoader.Parse($$"""{"api":{"key":"{{Key}}"},"feeds":[]}""", "/tmp").Config!;
        Assert.DoesNotContain(Key, config.ToString());
        Assert.Contains("redacted", config.Api.ToString());
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines) return [.. lines];
    }
}
