using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests.Pipeline;

/// <summary>
/// Keep/block rules end to end (issue 16): a loopback site, the real pipeline and LiteDB store, and
/// /api/feeds. Blocked items are never stored, never fetched again, counted per feed; a reload's
/// rules apply to new items only; another feed carrying the same article is not hidden.
/// </summary>
public sealed class FilterPipelineTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    internal sealed record Item(string Path, string Title, string Body, string? Category = null);

    internal static string Rss(LoopbackServer server, params Item[] items) =>
        "<rss version=\"2.0\"><channel><title>Filtered</title>" + string.Concat(items.Select(i =>
            $"<item><title>{WebUtility.HtmlEncode(i.Title)}</title><link>{server.Url(i.Path)}</link><guid isPermaLink=\"false\">{i.Path}</guid>" +
            (i.Category is null ? "" : $"<category>{i.Category}</category>") + "<pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate></item>")) + "</channel></rss>";

    internal static string Page(string title, string body) =>
        $"<html><head><title>{WebUtility.HtmlEncode(title)}</title></head><body><article><h1>{WebUtility.HtmlEncode(title)}</h1>" +
        string.Concat(body.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) + "</article></body></html>";

    /// <summary>A distinct body per <paramref name="n"/> (seeded words, so bodies never look alike), with an optional sentence first.</summary>
    private static string Body(int n, string extra = "") => (extra.Length > 0 ? extra + " " : "") + StoryIdentityTests.Body(n);

    private void Serve(string feed, params Item[] items)
    {
        foreach (var item in items) _server.MapText(item.Path, Page(item.Title, item.Body));
        _server.MapText($"/{feed}.xml", Rss(_server, items), "application/rss+xml");
    }

    private AggregatorConfig Config(FilterRules global, params Core.Configuration.FeedConfig[] feeds) =>
        TestConfigs.For(_dir.File($"{Guid.NewGuid():N}.db"), feeds) with { Filters = global };

    private static FilterRules Rules(string json) =>
        ConfigLoader.Parse($$"""{"filters": {{json}}, "feeds": []}""", "/tmp") is ({ } c, { Count: 0 }) ? c.Filters : throw new ArgumentException(json);

    [Fact]
    public async Task BlockedItemsAreNotStored_NotFetchedAgain_AndCountedInTheSummaryAndApi()
    {
        Serve("world",
            new Item("/a/1", "Talks resume in the capital", Body(1)),
            new Item("/a/2", "Sponsored: the best travel insurance", Body(2)),
            new Item("/a/3", "Markets close higher", Body(3, "Tonight the lottery numbers were drawn in the capital.")),
            new Item("/a/4", "Your horoscope for Tuesday", Body(4)));
        var feed = TestConfigs.Feed("world", _server.Url("/world.xml")) with { Filters = Rules("""{"block": [{"text": "lottery numbers"}, {"title": "/horoscope/i"}]}""") };
        var config = Config(Rules("""{"block": [{"title": "Sponsored:"}]}"""), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);

        var first = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal((1, 3), (first.New, first.Blocked));
        Assert.Contains("1 new, 0 updated, 0 duplicate, 0 failed, 3 blocked", first.ToString());
        Assert.Equal(["Talks resume in the capital"], store.QueryStories(new StoryQuery(50)).Items.Select(s => s.Title));
        // Title rules decide before the page is fetched; the text rule needed the page once.
        Assert.Equal(0, _server.CountRequests("/a/2"));
        Assert.Equal(0, _server.CountRequests("/a/4"));
        Assert.Equal(1, _server.CountRequests("/a/3"));

        var second = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal((0, 1, 3), (second.New, second.Duplicate, second.Blocked));
        Assert.Equal(1, _server.CountRequests("/a/3"));
        Assert.Equal(1, store.StoryCount);

        await using var api = await ApiHost.StartAsync(config, store);
        var feeds = await api.Client.GetFromJsonAsync<JsonElement>("/api/feeds");
        Assert.Equal(3, feeds[0].GetProperty("blockedCount").GetInt32());
        Assert.Equal(1, feeds[0].GetProperty("storyCount").GetInt32());
    }

    [Fact]
    public async Task KeepRulesKeepOnlyWhatTheyMatch_OnTheExtractedBody()
    {
        Serve("politics",
            new Item("/k/1", "Turnout", Body(11, "The referendum drew record crowds.")),
            new Item("/k/2", "Budget vote", Body(12), "Politics"),
            new Item("/k/3", "Rain later", Body(13)));
        var feed = TestConfigs.Feed("politics", _server.Url("/politics.xml")) with { Filters = Rules("""{"keep": [{"text": "referendum"}, {"category": "politics"}]}""") };
        var config = Config(FilterRules.None, feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);

        var summary = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal((2, 1), (summary.New, summary.Blocked));
        Assert.Equal(["Budget vote", "Turnout"], store.QueryStories(new StoryQuery(50)).Items.Select(s => s.Title).Order());
    }

    [Fact]
    public async Task AReloadAppliesNewRulesToNewItemsOnly_AndAnotherFeedsCopyIsNotHidden()
    {
        Serve("wire", new Item("/r/1", "Quiz: capitals of the world", Body(21)), new Item("/r/2", "Harbour reopens", Body(22)));
        var wire = TestConfigs.Feed("wire", _server.Url("/wire.xml")) with { Filters = Rules("""{"block": [{"title": "quiz"}]}""") };
        _server.MapText("/mirror.xml", Rss(_server, new Item("/r/1", "Quiz: capitals of the world", Body(21))), "application/rss+xml");
        var mirror = TestConfigs.Feed("mirror", _server.Url("/mirror.xml"));
        var config = Config(FilterRules.None, wire, mirror);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);

        Assert.Equal(1, (await pipelines.Ingestor.IngestAsync(wire, CancellationToken.None)).Blocked);
        // Reload: the quiz rule goes, a harbour rule comes. The stored story stays; the blocked item stays blocked.
        var live = pipelines.Services.GetRequiredService<LiveConfig>();
        var reloaded = wire with { Filters = Rules("""{"block": [{"title": "harbour"}]}""") };
        live.Replace(config with { Feeds = [reloaded, mirror] });
        Serve("wire", new Item("/r/1", "Quiz: capitals of the world", Body(21)), new Item("/r/2", "Harbour reopens", Body(22)),
            new Item("/r/3", "Harbour strike ends", Body(23)));
        var after = await pipelines.Ingestor.IngestAsync(reloaded, CancellationToken.None);
        Assert.Equal((0, 1, 2), (after.New, after.Duplicate, after.Blocked));
        Assert.Equal(["Harbour reopens"], store.QueryStories(new StoryQuery(50)).Items.Select(s => s.Title));

        // The mirror has no rules: the article the wire blocked is its story.
        var mirrored = await pipelines.Ingestor.IngestAsync(mirror, CancellationToken.None);
        Assert.True(mirrored.New == 1, mirrored.ToString());
        Assert.Contains("Quiz: capitals of the world", store.QueryStories(new StoryQuery(50)).Items.Select(s => s.Title));
        Assert.Equal(2, store.CountBlockedByFeed()["wire"]);
    }

    [Fact]
    public async Task AnItemJoiningAStoredStoryIsJudgedByThatStorysBody()
    {
        // Feed "all" stores the story first; "picky" carries the same link and blocks its text.
        Serve("all", new Item("/j/1", "Ferry crash inquiry", Body(31, "Officials said the ferry operator must answer.")));
        _server.MapText("/picky.xml", Rss(_server, new Item("/j/1", "Ferry crash inquiry", "")), "application/rss+xml");
        var all = TestConfigs.Feed("all", _server.Url("/all.xml"));
        var picky = TestConfigs.Feed("picky", _server.Url("/picky.xml")) with { Filters = Rules("""{"block": [{"text": "ferry operator"}]}""") };
        var config = Config(FilterRules.None, all, picky);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);

        Assert.Equal(1, (await pipelines.Ingestor.IngestAsync(all, CancellationToken.None)).New);
        var summary = await pipelines.Ingestor.IngestAsync(picky, CancellationToken.None);
        Assert.Equal((0, 1), (summary.Duplicate, summary.Blocked));
        Assert.Equal(["all"], store.QueryStories(new StoryQuery(50)).Items.Single().Sources.Select(s => s.FeedId));
    }
}
