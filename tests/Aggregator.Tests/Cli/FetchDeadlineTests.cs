using System.Diagnostics;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Cli;

/// <summary><c>aggregator fetch</c> never hangs: an overall deadline, then exit 1 naming the feeds still running.</summary>
public sealed class FetchDeadlineTests
{
    [Fact]
    public async Task FetchPastItsDeadline_ExitsNonZero_NamingTheFeedsStillRunning()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.Map("/stuck.xml", async context => await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted));
        server.MapText("/ok.xml", "<rss version=\"2.0\"><channel><title>T</title></channel></rss>", "application/rss+xml");
        using var dir = new TempDirectory();
        var config = dir.File("feeds.json");
        File.WriteAllText(config, $$"""
            {"storage":{"path":"{{dir.File("a.db")}}"},"http":{"allowLoopback":true,"timeout":"00:01:00"},
             "feeds":[{"id":"stuck","url":"{{server.Url("/stuck.xml")}}"},{"id":"fine","url":"{{server.Url("/ok.xml")}}"}]}
            """);
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await CliProcess.Run(["fetch", "--config", config, "--deadline", "00:00:02"], TimeSpan.FromSeconds(40));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(1, exit);
        Assert.Contains("deadline of 00:00:02 passed; still running: stuck", stderr);
        Assert.Contains("fine: ok", stdout);
    }

    [Fact]
    public async Task SevenRefusedFeeds_FinishPromptly_EveryTime()
    {
        using var dir = new TempDirectory();
        var config = dir.File("feeds.json");
        var feeds = string.Join(',', Enumerable.Range(0, 7).Select(i => $$"""{"id":"r{{i}}","url":"http://127.0.0.1:{{9 + i}}/feed.xml"}"""));
        File.WriteAllText(config, $$"""{"storage":{"path":"{{dir.File("r.db")}}"},"http":{"allowLoopback":true},"feeds":[{{feeds}}]}""");
        for (var run = 0; run < 5; run++)
        {
            File.Delete(dir.File("r.db"));
            var (exit, stdout, _) = await CliProcess.Run(["fetch", "--config", config, "--deadline", "00:00:30"], TimeSpan.FromSeconds(40));
            Assert.Equal(1, exit);
            Assert.Contains("7 of 7 feeds failed", stdout);
        }
    }
}
