using System.Globalization;
using System.Net;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Pipeline;

/// <summary>
/// The same corpus gives the same stories whatever date it carries (nothing but scheduling reads the
/// clock); items older than retention are skipped at ingest; text never joins two items of one feed.
/// Over loopback HTTP into a real store.
/// </summary>
public sealed class CorpusDateTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private static string Rss(IEnumerable<(string Guid, Uri Link, string Title, DateTimeOffset Published)> items) =>
        "<rss version=\"2.0\"><channel><title>T</title>" +
        string.Concat(items.Select(i => $"<item><title>{WebUtility.HtmlEncode(i.Title)}</title><link>{i.Link}</link><guid isPermaLink=\"false\">{i.Guid}</guid>" +
                                        $"<pubDate>{i.Published.ToString("R", CultureInfo.InvariantCulture)}</pubDate></item>")) + "</channel></rss>";

    private static string Page(string title, IEnumerable<string> paragraphs) =>
        $"<html><head><title>{WebUtility.HtmlEncode(title)}</title></head><body><article><h1>{WebUtility.HtmlEncode(title)}</h1>" +
        string.Concat(paragraphs.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) + "</article></body></html>";

    private static readonly string[] Words = ("minister council harbour river election court budget storm village market report police school hospital " +
        "bridge farmers union strike border talks energy prices workers ferry airport museum festival drought flood coast mayor judge trial vote " +
        "reform tax railway port fishermen grain wheat coffee tourism mine forest fire rescue army navy treaty summit embassy protest rally").Split(' ');

    private static List<string> Body(int n)
    {
        var random = new Random(n);
        return Enumerable.Range(0, 5).Select(_ => string.Join(' ', Enumerable.Range(0, 30).Select(_ => Words[random.Next(Words.Length)])) + ".").ToList();
    }

    /// <summary>An outlet's copy of wire story <paramref name="n"/>: its own headline, URL and first line, a word changed.</summary>
    private static List<string> Copy(int n)
    {
        var body = Body(n);
        body[0] = "Reporting from the wire desk of the Gulf Courier, with additional material. " + body[0];
        body[3] = body[3].Replace(' ' + Words[3] + ' ', " exactly ");
        return body;
    }

    /// <summary>Two outlets carrying the same three wire stories, dated from <paramref name="start"/>; runs both feeds and returns the store.</summary>
    private async Task<StoryStore> IngestWireCorpusAsync(string name, DateTimeOffset start)
    {
        var a = new List<(string, Uri, string, DateTimeOffset)>();
        var b = new List<(string, Uri, string, DateTimeOffset)>();
        for (var n = 0; n < 3; n++)
        {
            var at = start.AddHours(n * 5);
            _server.MapText($"/{name}/a/{n}", Page($"Wire story {n}", Body(n)));
            _server.MapText($"/{name}/b/{n}", Page($"Courier: story number {n} as we tell it", Copy(n)));
            a.Add(($"a-{n}", _server.Url($"/{name}/a/{n}"), $"Wire story {n}", at));
            b.Add(($"b-{n}", _server.Url($"/{name}/b/{n}"), $"Courier: story number {n} as we tell it", at.AddMinutes(40)));
        }
        _server.MapText($"/{name}/a.xml", Rss(a), "application/rss+xml");
        _server.MapText($"/{name}/b.xml", Rss(b), "application/rss+xml");
        var feeds = new[] { TestConfigs.Feed("a", _server.Url($"/{name}/a.xml")), TestConfigs.Feed("b", _server.Url($"/{name}/b.xml")) };
        var config = TestConfigs.For(_dir.File($"{name}.db"), feeds);
        var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        foreach (var feed in feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        return store;
    }

    private static List<string> Grouping(StoryStore store) =>
        store.QueryStories(new StoryQuery(200)).Items
            .Select(s => string.Join("+", s.Sources.Select(x => string.Join('/', new Uri(x.Url!).AbsolutePath.Split('/')[2..])).Order()))
            .Order().ToList();

    [Fact]
    public async Task AWireCorpus_DedupsTheSame_DatedToday_LastYear_OrTenYearsAgo()
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        var groupings = new List<List<string>>();
        foreach (var (name, start) in new[] { ("today", today), ("last-year", today.AddYears(-1)), ("decade", today.AddYears(-10)) })
        {
            using var store = await IngestWireCorpusAsync(name, start);
            Assert.Equal(3, store.StoryCount);
            groupings.Add(Grouping(store));
        }
        Assert.Equal(["a/0+b/0", "a/1+b/1", "a/2+b/2"], groupings[0]);
        Assert.All(groupings, g => Assert.Equal(groupings[0], g));
    }

    [Fact]
    public async Task ItemsOfOneFeedSharingATemplate_AreNeverJoinedByText()
    {
        // A results page: the same template, a few numbers apart, distinct GUIDs and links.
        var template = Body(77);
        var items = new List<(string, Uri, string, DateTimeOffset)>();
        var at = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);
        for (var n = 0; n < 3; n++)
        {
            var page = template.ToList();
            page[2] = $"Final score in round {n}: {n + 2} to {n}.";
            _server.MapText($"/results/{n}", Page($"Results, round {n}", page));
            items.Add(($"r-{n}", _server.Url($"/results/{n}"), $"Results, round {n}", at.AddDays(n)));
        }
        _server.MapText("/results.xml", Rss(items), "application/rss+xml");
        var feed = TestConfigs.Feed("results", _server.Url("/results.xml"));
        var config = TestConfigs.For(_dir.File("results.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        var summary = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal(3, summary.New);
        Assert.Equal(3, store.StoryCount);
        Assert.All(store.QueryStories(new StoryQuery(10)).Items, s => Assert.Single(s.Sources));
    }

    [Fact]
    public async Task ItemsOlderThanRetention_AreSkippedAtIngest_AndCounted()
    {
        var newest = new DateTimeOffset(2025, 6, 30, 8, 0, 0, TimeSpan.Zero);
        var items = new List<(string, Uri, string, DateTimeOffset)>();
        foreach (var (n, age) in new[] { (0, 0), (1, 3), (2, 29), (3, 31), (4, 400) })
        {
            _server.MapText($"/old/{n}", Page($"Item {n}", Body(100 + n)));
            items.Add(($"o-{n}", _server.Url($"/old/{n}"), $"Item {n}", newest.AddDays(-age)));
        }
        _server.MapText("/old.xml", Rss(items), "application/rss+xml");
        var feed = TestConfigs.Feed("old", _server.Url("/old.xml"));
        var config = TestConfigs.For(_dir.File("old.db"), feed) with { Retention = new RetentionOptions(30, 1000) };
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        var summary = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.Equal((3, 2), (summary.New, summary.Old));
        Assert.Contains("2 older than retention (skipped)", summary.ToString());
        Assert.Equal(3, store.StoryCount);
        Assert.DoesNotContain(_server.Requests, r => r.Path is "/old/3" or "/old/4"); // no page fetched for them
    }
}
