using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Demo;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Api;

/// <summary>
/// <c>/status</c> (issue 16) over the demo corpus ingested into a real store, through the real host:
/// what the page shows, who may see it, the split form and its cross-site refusal, and the page
/// in headless Chromium with a screenshot kept in TestResults/screenshots/status-page.png.
/// </summary>
public sealed class StatusPageTests : IAsyncLifetime
{
    private DemoSite _site = null!;
    private readonly TempDirectory _dir = new();
    private StoryStore _store = null!;
    private AggregatorConfig _config = null!;

    public async Task InitializeAsync()
    {
        _site = await DemoSite.StartAsync(TimeProvider.System, CancellationToken.None);
        _config = _site.Config(new Uri("http://news.example/")) with { Storage = new StorageOptions(_dir.File("status.db")) };
        _store = StoryStore.Open(_config.Storage.Path, TimeProvider.System);
        using (var pipelines = new Pipelines(_config, _store))
            foreach (var feed in _config.Feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        // A line seen on three of a site's articles is learned as its boilerplate.
        foreach (var n in Enumerable.Range(1, 3))
            await _store.RecordSiteArticleAsync("wire.example", $"https://wire.example/{n}", [(42L, "Follow us on Telegram for breaking news")], DateTime.UtcNow, 20, 3);
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _site.DisposeAsync();
        _dir.Dispose();
    }

    private StoryRecord Merged() => _store.QueryStories(new StoryQuery(50)).Items.First(s => s.Sources.Count == 2);

    [Fact]
    public async Task ThePageShowsEveryFeed_TheWeek_Merges_AndBoilerplate_UnderAStrictCsp()
    {
        await using var api = await ApiHost.StartAsync(_config, _store);
        var response = await api.Client.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.DoesNotContain("script", csp);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html);
        foreach (var feed in _config.Feeds) Assert.Contains($"id=\"feed-{feed.Id}\"", html);
        Assert.Contains("tone-ok", html);
        Assert.Contains("tone-warning", html); // the demo's broken feed failed once
        Assert.Equal(_config.Feeds.Count, CountOf(html, "<svg class=\"bars\""));
        Assert.Contains("Follow us on Telegram for breaking news", html);
        var merged = Merged();
        Assert.Contains($"<input type=\"hidden\" name=\"story\" value=\"{merged.Id}\">", html);
        Assert.Contains(WebUtility.HtmlEncode(merged.Sources[1].MatchedBy), html);
    }

    [Fact]
    public async Task TheSplitFormWorksFromThePageOnly_CrossSitePostsAreRefused()
    {
        await using var api = await ApiHost.StartAsync(_config, _store);
        // As a browser's first answer: the 303 itself, not the page it leads to.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Client.BaseAddress };
        var merged = Merged();
        var source = merged.Sources[1];
        HttpRequestMessage Post(params (string Name, string Value)[] headers)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/status/split")
            {
                Content = new FormUrlEncodedContent([new("story", merged.Id), new("url", source.Url!), new("feedId", source.FeedId)]),
            };
            foreach (var (name, value) in headers) message.Headers.TryAddWithoutValidation(name, value);
            return message;
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Post(("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Post(("Origin", "https://evil.example")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Post())).StatusCode);
        Assert.Equal(2, _store.GetStory(merged.Id)!.Sources.Count);

        var origin = api.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var done = await client.SendAsync(Post(("Sec-Fetch-Site", "same-origin"), ("Origin", origin)));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal("/status?split=done", done.Headers.Location?.ToString());
        Assert.Single(_store.GetStory(merged.Id)!.Sources);
        Assert.Contains("Split: the source is a story of its own now.", await client.GetStringAsync("/status?split=done"));
        // Without fetch metadata, a matching Origin is enough; the story has one source left now.
        var again = await client.SendAsync(Post(("Origin", origin)));
        Assert.Equal("/status?split=no-source", again.Headers.Location?.ToString());

        var bad = new HttpRequestMessage(HttpMethod.Post, "/status/split") { Content = new FormUrlEncodedContent([new("story", merged.Id), new("url", "javascript:alert(1)")]) };
        bad.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        var problem = await client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OnlyOperatorsSeeIt_AProxiedCallerIsRefused_AndABrowserMayGiveTheKeyAsBasicPassword()
    {
        await using (var open = await ApiHost.StartAsync(_config, _store))
        {
            var proxied = new HttpRequestMessage(HttpMethod.Get, "/status");
            proxied.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
            Assert.Equal(HttpStatusCode.Forbidden, (await open.Client.SendAsync(proxied)).StatusCode);
        }
        const string key = "status-page-operator-key-0123";
        await using var api = await ApiHost.StartAsync(_config with { Api = new ApiOptions(key) }, _store);
        var denied = await api.Client.GetAsync("/status");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("Basic", denied.Headers.WwwAuthenticate.Single().Scheme);
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/status");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:not-the-key")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.SendAsync(wrong)).StatusCode);
        var basic = new HttpRequestMessage(HttpMethod.Get, "/status");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{key}")));
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(basic)).StatusCode);
    }

    [Fact]
    public async Task ThePageRendersInChromium_AndAScreenshotIsKept()
    {
        Assert.True(File.Exists(ReadingPageBrowserTests.Chromium), $"{ReadingPageBrowserTests.Chromium} is missing: apt-get install chromium (.ci/run does)");
        await using var api = await ApiHost.StartAsync(_config, _store);
        var url = new Uri(api.Client.BaseAddress!, "/status");
        var dom = await ReadingPageBrowserTests.Browse(url, _dir, "--dump-dom", "1280,1600");
        Assert.Contains("<h2>Feeds</h2>", dom);
        Assert.Contains("Recent merges", dom);
        Assert.Contains("<button type=\"submit\">Split</button>", dom);
        Assert.Contains("Follow us on Telegram for breaking news", dom);
        var shots = Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults", "screenshots")).FullName;
        var shot = Path.Combine(shots, "status-page.png");
        File.Delete(shot);
        await ReadingPageBrowserTests.Browse(url, _dir, $"--screenshot={shot}", "1280,1600");
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
