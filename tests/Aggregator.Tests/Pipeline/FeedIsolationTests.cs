using Aggregator.Core.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Pipeline;

/// <summary>One broken feed marks only its own status; conditional GET turns a repeat poll into a cheap 304.</summary>
public class FeedIsolationTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private const string GoodFeed = """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
        <item><title>Storm closes ports</title><link>{base}/a1</link><guid>a1</guid><pubDate>Tue, 01 Oct 2024 10:00:00 GMT</pubDate>
        <description>Ports closed as the storm arrived.</description></item></channel></rss>
        """;
    private const string Article = """
        <html><head><title>Storm closes ports | Good News</title></head><body><nav>Home World</nav><article><h1>Storm closes ports</h1>
        <p>Ports along the coast closed on Tuesday as the storm arrived, officials said, with ferries cancelled until further notice.</p>
        <p>Harbour masters said the closures would last at least two days, depending on the wind, which reached gale force overnight.</p>
        <p>Follow us on Twitter for the latest headlines and updates.</p></article><footer>© Good News. All rights reserved.</footer></body></html>
        """;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _server.Map("/good.xml", async context =>
        {
            if (context.Request.Headers.IfNoneMatch == "\"good-v1\"") { context.Response.StatusCode = 304; return; }
            context.Response.Headers.ETag = "\"good-v1\"";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(GoodFeed.Replace("{base}", _server.BaseUrl.ToString().TrimEnd('/')));
        });
        _server.MapText("/a1", Article);
        _server.MapText("/html.xml", "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>");
        _server.MapBytes("/garbage.xml", [0x00, 0xFF, 0x13, 0x37, 0x42, 0x00], "application/rss+xml");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task BrokenFeedsFailAloneWithTheirOwnErrorClass()
    {
        using var dir = new TempDirectory();
        var feeds = new[]
        {
            TestConfigs.Feed("good", _server.Url("/good.xml")),
            TestConfigs.Feed("missing", _server.Url("/missing.xml")),
            TestConfigs.Feed("html", _server.Url("/html.xml")),
            TestConfigs.Feed("garbage", _server.Url("/garbage.xml")),
        };
        var config = TestConfigs.For(dir.File("a.db"), feeds);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        var results = await Task.WhenAll(feeds.Select(f => pipelines.Ingestor.IngestAsync(f, CancellationToken.None)));

        Assert.Equal(1, results.Single(r => r.FeedId == "good").New);
        Assert.Equal(FeedStatus.Ok, store.GetFeedState("good").Status);
        Assert.Equal("http-4xx", store.GetFeedState("missing").ErrorClass);
        Assert.Equal("not-a-feed", store.GetFeedState("html").ErrorClass);
        Assert.Contains("not a feed", store.GetFeedState("html").Error);
        Assert.Equal(FeedStatus.Failing, store.GetFeedState("garbage").Status);
        Assert.All(new[] { "missing", "html", "garbage" }, id => Assert.Equal(1, store.GetFeedState(id).ConsecutiveFailures));

        var story = Assert.Single(store.QueryStories(new StoryQuery()).Items);
        Assert.Equal("Storm closes ports", story.Title);
        Assert.Equal(2, story.Text!.Split("\n\n").Length);
        Assert.DoesNotContain("Follow us", story.Text);
    }

    [Fact]
    public async Task RepeatPollSendsTheETagAndIsNotModified()
    {
        using var dir = new TempDirectory();
        var feed = TestConfigs.Feed("good", _server.Url("/good.xml"));
        var config = TestConfigs.For(dir.File("a.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        var second = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal(FeedStatus.NotModified, second.Status);
        Assert.Equal("\"good-v1\"", store.GetFeedState("good").ETag);
        Assert.Equal(1, _server.CountRequests("/a1"));
    }

    [Fact]
    public async Task FeedWithoutFullTextKeepsTheFeedsOwnContentAndFetchesNoPage()
    {
        using var dir = new TempDirectory();
        var feed = TestConfigs.Feed("good", _server.Url("/good.xml"), fullText: false);
        var config = TestConfigs.For(dir.File("a.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal("Ports closed as the storm arrived.", Assert.Single(store.QueryStories(new StoryQuery()).Items).Text);
        Assert.Equal(0, _server.CountRequests("/a1"));
    }
}
