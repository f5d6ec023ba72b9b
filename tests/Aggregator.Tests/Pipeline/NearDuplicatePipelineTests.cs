using System.Net;
using Aggregator.Core.Storage;
using Aggregator.Tests.Dedup;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Pipeline;

/// <summary>Wire copy republished elsewhere with light edits and another headline joins the story; a different story on the same topic does not.</summary>
public class NearDuplicatePipelineTests
{
    private static string Page(string title, string body) =>
        $"<html><head><title>{WebUtility.HtmlEncode(title)}</title></head><body><article><h1>{WebUtility.HtmlEncode(title)}</h1>" +
        string.Concat(body.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) + "</article></body></html>";

    private static string Feed(string id, string link, string title) =>
        $"<rss version=\"2.0\"><channel><title>{id}</title><item><title>{title}</title><link>{link}</link><guid>{id}-1</guid></item></channel></rss>";

    [Fact]
    public async Task EditedWireCopyJoinsAndSameTopicStoryStaysApart()
    {
        var rhine = NearDuplicateCalibrationTests.RhineText;
        var other = NearDuplicateCalibrationTests.RhineOther;
        await using var server = await LoopbackServer.StartAsync();
        server.MapText("/a/story", Page("Low water on the Rhine forces barges to sail half empty", rhine));
        server.MapText("/b/copy", Page("Barges half empty as Rhine runs low", NearDuplicateCalibrationTests.Edit(rhine, 15)));
        server.MapText("/c/dredging", Page("Rhine to be dredged near Kaub", other));
        server.MapText("/a.xml", Feed("a", server.Url("/a/story").ToString(), "Low water on the Rhine"), "application/rss+xml");
        server.MapText("/b.xml", Feed("b", server.Url("/b/copy").ToString(), "Barges half empty as Rhine runs low"), "application/rss+xml");
        server.MapText("/c.xml", Feed("c", server.Url("/c/dredging").ToString(), "Rhine to be dredged near Kaub"), "application/rss+xml");

        using var dir = new TempDirectory();
        var feeds = new[] { "a", "b", "c" }.Select(id => TestConfigs.Feed(id, server.Url($"/{id}.xml"))).ToArray();
        var config = TestConfigs.For(dir.File("near.db"), feeds);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        foreach (var feed in feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);

        Assert.Equal(2, store.StoryCount);
        var joined = store.QueryStories(new StoryQuery(10)).Items.Single(s => s.Sources.Count == 2);
        Assert.Equal(["a", "b"], joined.Sources.Select(s => s.FeedId).Order());
        Assert.StartsWith("similar-text 0.", joined.Sources.Single(s => s.FeedId == "b").MatchedBy);
    }
}
