using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Api;

/// <summary>The HTTP contract: parameters, problems, pagination, conditional GET, page headers.</summary>
public class ApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private StoryStore _store = null!;
    private ApiHost _api = null!;
    private static readonly DateTime Base = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        var config = TestConfigs.For(_dir.File("a.db"),
            TestConfigs.Feed("wire", new Uri("https://wire.example/rss"), fullText: false), TestConfigs.Feed("sport", new Uri("https://sport.example/rss"), fullText: false, category: "Sport"));
        _store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        for (var i = 0; i < 30; i++)
        {
            var id = $"{i + 1:x16}";
            var feed = i % 3 == 0 ? "sport" : "wire";
            await _store.AddOrAttachAsync(new StoryRecord
            {
                Id = id, SortKey = StoryRecord.MakeSortKey(Base.AddHours(i), id), Title = $"Story {i} about {(i % 2 == 0 ? "rivers" : "mountains")}",
                Url = $"https://{feed}.example/{i}", Category = i % 3 == 0 ? "Sport" : "World", Text = "Body <text> & more", Html = "<p>Body &lt;text&gt; &amp; more</p>",
                Published = Base.AddHours(i), FirstSeen = Base, Updated = Base.AddHours(i),
                Sources = [new StorySource { FeedId = feed, Title = feed, Url = $"https://{feed}.example/{i}", FirstSeen = Base }],
            }, [new StoryKey(StoryKeys.Url, StoryKeys.Hash(id))], Base);
        }
        _api = await ApiHost.StartAsync(config, _store);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("/api/stories?limit=0", "limit")]
    [InlineData("/api/stories?limit=201", "limit")]
    [InlineData("/api/stories?limit=abc", "limit")]
    [InlineData("/api/stories?since=yesterday", "since")]
    [InlineData("/api/stories?until=2026-13-01T00:00:00Z", "until")]
    [InlineData("/api/stories?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z", "since")]
    [InlineData("/api/stories?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/stories?cursor=%00%01", "cursor")]
    [InlineData("/api/stories?category=Nope", "category")]
    [InlineData("/api/stories?source=nope", "source")]
    [InlineData("/api/stories?q=", "q")]
    [InlineData("/api/stories?q=%21%3F%20-", "q")]
    [InlineData("/api/stories?colour=red", "colour")]
    [InlineData("/feeds/world.rss?limit=-1", "limit")]
    public async Task BadParametersAre400ProblemsNamingTheParameter(string url, string parameter)
    {
        var response = await _api.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.StartsWith(parameter + ":", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/stories/ffffffffffffffff")]
    [InlineData("/feeds/nope.rss")]
    [InlineData("/feeds/world.txt")]
    [InlineData("/stories/ffffffffffffffff")]
    public async Task UnknownThingsAre404(string url) =>
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.GetAsync(url)).StatusCode);

    [Fact]
    public async Task CursorPagesWalkEveryStoryNewestFirstOnce()
    {
        var ids = new List<string>();
        var published = new List<DateTime>();
        string? cursor = null;
        do
        {
            var page = await _api.Client.GetFromJsonAsync<JsonElement>("/api/stories?limit=7" + (cursor is null ? "" : "&cursor=" + cursor));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetString()!);
                published.Add(item.GetProperty("published").GetDateTime());
            }
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.Equal(30, ids.Distinct().Count());
        Assert.Equal(published.OrderDescending(), published);
    }

    [Fact]
    public async Task FiltersNarrowTheList()
    {
        async Task<int> Count(string query) => (await _api.Client.GetFromJsonAsync<JsonElement>("/api/stories?limit=200&" + query)).GetProperty("items").GetArrayLength();
        Assert.Equal(10, await Count("category=sport"));
        Assert.Equal(10, await Count("source=sport"));
        Assert.Equal(15, await Count("q=rivers"));
        Assert.Equal(10, await Count("since=2026-03-02T08:00:00Z"));
        Assert.Equal(3, await Count("until=2026-03-01T14:00:00Z"));
    }

    [Fact]
    public async Task GeneratedFeedsSupportConditionalGet()
    {
        foreach (var url in new[] { "/feeds/world.rss", "/feeds/world.atom", "/feeds/world.json" })
        {
            var first = await _api.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!;
            using var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await _api.Client.SendAsync(again)).StatusCode);
            using var since = new HttpRequestMessage(HttpMethod.Get, url);
            since.Headers.IfModifiedSince = first.Content.Headers.LastModified;
            Assert.Equal(HttpStatusCode.NotModified, (await _api.Client.SendAsync(since)).StatusCode);
        }
    }

    [Theory]
    [InlineData("/feeds/world.rss")]
    [InlineData("/feeds/world.atom")]
    public async Task RegeneratedFeedsValidateStrictlyAndParseBack(string url)
    {
        var bytes = await _api.Client.GetByteArrayAsync(url);
        var strict = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, CheckCharacters = true };
        using (var reader = System.Xml.XmlReader.Create(new MemoryStream(bytes), strict)) while (reader.Read()) { }

        var viaFeedReader = CodeHollow.FeedReader.FeedReader.ReadFromByteArray(bytes);
        Assert.Equal(20, viaFeedReader.Items.Count);

        using var xml = System.Xml.XmlReader.Create(new MemoryStream(bytes));
        var feed = System.ServiceModel.Syndication.SyndicationFeed.Load(xml); // throws on a bad date or structure
        Assert.Equal(20, feed.Items.Count());
        Assert.Contains(feed.Links, l => l.RelationshipType == "self" && l.Uri.ToString() == "http://localhost:5080" + url);
        Assert.All(feed.Items, i => Assert.StartsWith("aggregator:story:", i.Id.Replace("urn:", "")));
        Assert.Equal(20, feed.Items.Select(i => i.Id).Distinct().Count());
        Assert.All(feed.Items, i => Assert.True(i.PublishDate.Year == 2026 || i.LastUpdatedTime.Year == 2026, "dates parsed back"));
        Assert.All(feed.Items, i => Assert.True(i.Links.All(l => l.Uri.IsAbsoluteUri)));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApiAndDocsAreServed()
    {
        var doc = await _api.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var stories = doc.GetProperty("paths").GetProperty("/api/stories").GetProperty("get");
        var parameters = stories.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equivalent(new[] { "category", "limit", "cursor", "since", "until", "q", "source" }, parameters);
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/feeds/{id}/refresh", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/stories/{id}/split", out _));
        Assert.Equal(HttpStatusCode.OK, (await _api.Client.GetAsync("/docs/v1")).StatusCode);
    }

    [Theory]
    [InlineData("/api/stories?limit=5")]
    [InlineData("/api/stories/000000000000000a")]
    [InlineData("/api/feeds")]
    public async Task JsonApiSupportsConditionalGet(string url)
    {
        var first = await _api.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await _api.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"stale\""));
        Assert.Equal(HttpStatusCode.OK, (await _api.Client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task FeedLimitParameterIsHonoured()
    {
        var json = await _api.Client.GetFromJsonAsync<JsonElement>("/feeds/world.json?limit=5");
        Assert.Equal(5, json.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ReadingPagesAreServerRenderedWithAStrictPolicy()
    {
        var response = await _api.Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("Story 29 about mountains", html);
        Assert.DoesNotContain("<script", html);
        var story = await _api.Client.GetStringAsync($"/stories/{30:x16}");
        Assert.Contains("<p>Body &lt;text&gt; &amp; more</p>", story);
    }

    [Fact]
    public async Task FeedHealthListsEveryConfiguredFeed()
    {
        await _store.SaveFeedStateAsync(new FeedStateRecord { Id = "wire", Status = FeedStatus.Failing, Error = "fetch: HTTP 503", ErrorClass = "http-5xx", ConsecutiveFailures = 2 });
        var feeds = await _api.Client.GetFromJsonAsync<JsonElement>("/api/feeds");
        Assert.Equal(2, feeds.GetArrayLength());
        var wire = feeds.EnumerateArray().Single(f => f.GetProperty("id").GetString() == "wire");
        Assert.Equal("failing", wire.GetProperty("status").GetString());
        Assert.Equal("http-5xx", wire.GetProperty("errorClass").GetString());
        Assert.Equal(20, wire.GetProperty("storyCount").GetInt32());
        foreach (var key in new[] { "url", "category", "lastFetched", "lastSucceeded", "error", "nextFetch" }) Assert.True(wire.TryGetProperty(key, out _), key);
    }

    [Fact]
    public async Task SplitMovesASourceToAStoryOfItsOwnAndNamesBadInput()
    {
        var id = $"{2:x16}";
        await _store.AttachSourceAsync(id, new StorySource { FeedId = "sport", Title = "sport", Url = "https://sport.example/copy", ItemTitle = "A copy", FirstSeen = Base, MatchedBy = "similar-text 0.41" },
            [new StoryKey(StoryKeys.Url, StoryKeys.Hash("copy"))], Base);
        var detail = await _api.Client.GetFromJsonAsync<JsonElement>($"/api/stories/{id}");
        Assert.Equal("similar-text 0.41", detail.GetProperty("sources")[1].GetProperty("matchedBy").GetString());

        async Task<(HttpStatusCode Status, JsonElement Body)> Split(string story, string? body)
        {
            using var content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            var response = await _api.Client.PostAsync($"/api/stories/{story}/split", content);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }
        Assert.Equal("url", (await Split(id, null)).Body.GetProperty("parameter").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Split(id, "{\"url\": 3}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Split(id, "{not json")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Split(id, "{\"url\": \"ftp://sport.example/copy\"}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Split(id, "{\"url\": \"https://sport.example/elsewhere\"}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Split("ffffffffffffffff", "{\"url\": \"https://sport.example/copy\"}")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Split($"{3:x16}", "{\"url\": \"https://wire.example/2\"}")).Status);
        // feedId tells apart feeds that carried the same URL: here the copy came from "sport", not "wire".
        Assert.Equal(HttpStatusCode.BadRequest, (await Split(id, "{\"url\": \"https://sport.example/copy\", \"feedId\": \"wire\"}")).Status);
        Assert.Equal("feedId", (await Split(id, "{\"url\": \"https://sport.example/copy\", \"feedId\": \"nope\"}")).Body.GetProperty("parameter").GetString());

        var (status, split) = await Split(id, "{\"url\": \"https://sport.example/copy?utm_source=x\", \"feedId\": \"sport\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, split.GetProperty("from").GetProperty("sources").GetArrayLength());
        var to = split.GetProperty("to");
        Assert.Equal("A copy", to.GetProperty("title").GetString());
        Assert.Equal($"split from {id}", to.GetProperty("sources")[0].GetProperty("matchedBy").GetString());
        var created = await _api.Client.GetFromJsonAsync<JsonElement>($"/api/stories/{to.GetProperty("id").GetString()}");
        Assert.Equal("https://sport.example/copy", created.GetProperty("url").GetString());
    }

    [Fact]
    public async Task OpmlListsTheConfiguredFeedsByCategory()
    {
        var response = await _api.Client.GetAsync("/api/opml");
        Assert.Equal("text/x-opml", response.Content.Headers.ContentType!.MediaType);
        var opml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        var feeds = opml.Descendants("outline").Where(o => o.Attribute("xmlUrl") is not null).Select(o => o.Attribute("xmlUrl")!.Value);
        Assert.Equal(["https://wire.example/rss", "https://sport.example/rss"], feeds);
    }

    [Fact]
    public async Task RefreshOfAnUnknownFeedIs404AndHealthIsUp()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.PostAsync("/api/feeds/nope/refresh", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Client.GetAsync("/health")).StatusCode);
    }
}
