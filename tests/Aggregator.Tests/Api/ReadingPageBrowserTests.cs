using System.Diagnostics;
using Aggregator.Core.Storage;
using Aggregator.Demo;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Api;

/// <summary>
/// The reading pages in a real browser (Debian's chromium, headless): the front page lists the
/// demo stories with their outlets, a story page shows the clean article and its sources, and
/// screenshots are kept under TestResults/screenshots.
/// </summary>
public class ReadingPageBrowserTests
{
    internal const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task FrontPageAndStoryPageRenderInChromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        await using var site = await DemoSite.StartAsync(TimeProvider.System, CancellationToken.None);
        using var dir = new TempDirectory();
        var config = site.Config(new Uri("http://news.example/")) with { Storage = new Core.Configuration.StorageOptions(dir.File("demo.db")) };
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using (var pipelines = new Pipelines(config, store))
            foreach (var feed in config.Feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        await using var api = await ApiHost.StartAsync(config, store);
        var marcos = store.QueryStories(new StoryQuery(50, Text: "Marcos")).Items.First(s => s.Sources.Count == 2);

        var shots = Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults", "screenshots")).FullName;
        var front = await Browse(api.Client.BaseAddress!, dir, "--dump-dom");
        Assert.Contains("World News (demo)", front);
        Assert.Contains("Low water on the Rhine forces barges to sail half empty", front);
        Assert.Contains("+1 more", front);
        Assert.DoesNotContain("For the latest headlines", front);
        await Browse(api.Client.BaseAddress!, dir, $"--screenshot={Path.Combine(shots, "front-page.png")}");
        Assert.True(new FileInfo(Path.Combine(shots, "front-page.png")).Length > 10_000);

        var storyUrl = new Uri(api.Client.BaseAddress!, $"/stories/{marcos.Id}");
        var story = await Browse(storyUrl, dir, "--dump-dom");
        Assert.Contains("President Ferdinand Marcos Jr said on Wednesday", story);
        Assert.Contains("Sources", story);
        Assert.Contains("Northern Post", story);
        Assert.DoesNotContain("Leave a Reply", story);
        await Browse(storyUrl, dir, $"--screenshot={Path.Combine(shots, "story-page.png")}");
        Assert.True(File.Exists(Path.Combine(shots, "story-page.png")));
    }

    /// <summary>Runs headless chromium with the flags this closed network needs; returns stdout (the DOM for --dump-dom).</summary>
    internal static async Task<string> Browse(Uri url, TempDirectory dir, string action, string windowSize = "420,1400")
    {
        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--window-size={windowSize}",
                     $"--user-data-dir={dir.File("chromium-profile")}", action, url.ToString(),
                 })
            start.ArgumentList.Add(flag);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return await output;
    }
}
