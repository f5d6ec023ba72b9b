using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Extraction;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Pipeline;

/// <summary>A line a site repeats in its articles is learned as its boilerplate and dropped from then on; operators see what was learned.</summary>
public class LearnedBoilerplateTests
{
    private const string Tagline = "The Harbour Times is reader-funded: support our journalism at harbour.example/support.";

    private static string Page(int n) =>
        $"<html><head><title>Story {n} | Harbour Times</title></head><body><article><h1>Story {n}</h1>" +
        string.Concat(Enumerable.Range(0, 4).Select(p => $"<p>{WebUtility.HtmlEncode(StoryIdentityTests.Body(n * 10 + p))}</p>")) +
        $"<p>{Tagline}</p><p>Updated {n} May 2026.</p></article></body></html>";

    private static string Feed(IEnumerable<int> stories) =>
        "<rss version=\"2.0\"><channel><title>Harbour</title>" +
        string.Concat(stories.Select(n => $"<item><title>Story {n}</title><link>{{base}}/story/{n}</link><guid>h{n}</guid></item>")) + "</channel></rss>";

    [Fact]
    public async Task ALineInThreeOfTheSitesArticlesIsDroppedFromLaterOnes()
    {
        await using var site = await LoopbackServer.StartAsync();
        foreach (var n in Enumerable.Range(1, 6)) site.MapText($"/story/{n}", Page(n));
        using var dir = new TempDirectory();
        var feed = TestConfigs.Feed("harbour", site.Url("/feed.xml"));
        var config = TestConfigs.For(dir.File("b.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);

        // Three articles: the tagline is in all of them (nothing learned yet when each was read).
        site.MapText("/feed.xml", Feed([1, 2, 3]), "application/rss+xml");
        await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.All(store.QueryStories(new StoryQuery(10)).Items, s => Assert.Contains(Tagline, s.Text));

        // From then on it is boilerplate; the dates differ by number only, so they are one line too.
        site.MapText("/feed.xml", Feed([1, 2, 3, 4, 5, 6]), "application/rss+xml");
        await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        var later = store.QueryStories(new StoryQuery(10)).Items.Where(s => s.Title is "Story 4" or "Story 5" or "Story 6").ToList();
        Assert.Equal(3, later.Count);
        Assert.All(later, s =>
        {
            Assert.DoesNotContain(Tagline, s.Text);
            Assert.DoesNotContain("Updated", s.Text);
            Assert.DoesNotContain("reader-funded", s.Html);
            Assert.Equal(4, s.Text!.Split("\n\n").Length);
        });

        // Operators see what was learned, in the API and on the command line.
        var host = LearnedBoilerplate.SiteOf(site.BaseUrl)!;
        var profile = Assert.Single(store.SiteProfiles());
        Assert.Equal(host, profile.Id);
        Assert.Equal(2, profile.Learned.Count);
        Assert.Contains(profile.Learned, l => l.Text == Tagline);
        Assert.Contains(profile.Learned, l => l.Text.StartsWith("Updated ", StringComparison.Ordinal)); // whichever article taught it
        await using var api = await ApiHost.StartAsync(config, store);
        var sites = await api.Client.GetFromJsonAsync<JsonElement>("/api/sites");
        var learned = sites[0].GetProperty("learned");
        Assert.Equal(6, learned[0].GetProperty("articles").GetInt32());
        Assert.Equal(6, sites[0].GetProperty("articlesSeen").GetInt32());
    }

    [Fact]
    public void FingerprintsIgnoreCaseSpacingPunctuationAndNumbers()
    {
        Assert.Equal(LearnedBoilerplate.Fingerprint("© 2025 Harbour Times. All rights reserved."), LearnedBoilerplate.Fingerprint("© 2026  harbour times — all rights reserved"));
        Assert.NotEqual(LearnedBoilerplate.Fingerprint("Support our journalism."), LearnedBoilerplate.Fingerprint("Support our newsroom."));
        // Long paragraphs are never candidates.
        Assert.Empty(LearnedBoilerplate.Candidates([new string('a', LearnedBoilerplate.MaxLength + 1)]));
    }
}
