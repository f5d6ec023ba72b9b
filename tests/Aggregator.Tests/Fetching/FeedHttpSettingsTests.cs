using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Storage;
using Aggregator.Tests.Pipeline;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Fetching;

/// <summary>
/// <c>feeds[].http</c> end to end (issue 16): two loopback hosts (127.0.0.1, the feed's site, and
/// 127.0.0.2, another site); what each one received. The feed's settings reach the feed and its
/// article pages on its own site, never another host, not even through a redirect; /api/feeds shows
/// them without the password or cookie.
/// </summary>
public sealed class FeedHttpSettingsTests : IAsyncLifetime
{
    private const string Password = "pa55-from-the-environment";
    private const string Cookie = "session=0123456789abcdef";
    private LoopbackServer _site = null!;
    private LoopbackServer _other = null!;
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        _site = await LoopbackServer.StartAsync();
        _other = await LoopbackServer.StartAsync("127.0.0.2");
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _other.DisposeAsync();
        _dir.Dispose();
    }

    private FeedConfig Feed()
    {
        Environment.SetEnvironmentVariable("AGGREGATOR_TEST_SITE_PASSWORD", Password);
        var (config, errors) = ConfigLoader.Parse($$$"""
            {"feeds": [{"id": "members", "url": "{{{_site.Url("/members.xml")}}}",
              "http": {"userAgent": "MembersReader/2.0", "headers": {"Accept-Language": "fr-FR", "Referer": "{{{_site.BaseUrl}}}"},
                       "basicAuth": {"user": "reader", "passwordEnv": "AGGREGATOR_TEST_SITE_PASSWORD"}, "cookie": "{{{Cookie}}}"}}]}
            """, "/tmp");
        Assert.Empty(errors);
        return config!.Feeds[0];
    }

    private static string Body(string what) =>
        $"{what} opens with a first paragraph long enough to be the body of a real article on the page.\n\n" +
        $"The second paragraph of {what} carries on with quotes from officials and some background for readers.";

    [Fact]
    public async Task TheFeedsSettingsGoToItsOwnSiteOnly_AndAreRedactedInTheApi()
    {
        var items = new[]
        {
            new FilterPipelineTests.Item("/story/1", "On the site", Body("Story one")),
            new FilterPipelineTests.Item("/go/2", "Redirected away", ""),
        };
        _site.MapText("/members.xml", FilterPipelineTests.Rss(_site, items) + "", "application/rss+xml");
        _site.MapText("/story/1", FilterPipelineTests.Page("On the site", Body("Story one")));
        _site.Map("/go/2", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = _other.Url("/elsewhere/2").ToString();
            return Task.CompletedTask;
        });
        _other.MapText("/elsewhere/2", FilterPipelineTests.Page("Redirected away", Body("Story two")));
        _other.MapText("/direct/3", FilterPipelineTests.Page("Another host", Body("Story three")));
        var feed = Feed();
        var config = TestConfigs.For(_dir.File("http.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using (var pipelines = new Pipelines(config, store))
        {
            var summary = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
            Assert.Equal(2, summary.New);
            // An article on another host, asked for directly with the feed's settings.
            var direct = await pipelines.Fetcher.FetchAsync(new FetchRequest(_other.Url("/direct/3")) { Site = SiteHttp.For(feed) }, CancellationToken.None);
            Assert.Equal(FetchOutcome.Ok, direct.Outcome);
        }

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"reader:{Password}"));
        var onSite = _site.Requests.Where(r => r.Path is "/members.xml" or "/story/1" or "/go/2").ToList();
        Assert.Equal(3, onSite.Count);
        Assert.All(onSite, r =>
        {
            Assert.Equal("MembersReader/2.0", r.Headers.UserAgent.ToString());
            Assert.Equal("fr-FR", r.Headers.AcceptLanguage.ToString());
            Assert.Equal(_site.BaseUrl.ToString(), r.Headers.Referer.ToString());
            Assert.Equal(basic, r.Headers.Authorization.ToString());
            Assert.Equal(Cookie, r.Headers.Cookie.ToString());
        });
        var elsewhere = _other.Requests.ToList();
        Assert.Equal(["/elsewhere/2", "/direct/3"], elsewhere.Select(r => r.Path));
        Assert.All(elsewhere, r =>
        {
            Assert.Equal(HttpOptions.Default.UserAgent, r.Headers.UserAgent.ToString());
            Assert.False(r.Headers.ContainsKey("Authorization"));
            Assert.False(r.Headers.ContainsKey("Cookie"));
            Assert.False(r.Headers.ContainsKey("Accept-Language"));
            Assert.False(r.Headers.ContainsKey("Referer"));
        });

        await using var api = await ApiHost.StartAsync(config, store);
        var text = await api.Client.GetStringAsync("/api/feeds");
        Assert.DoesNotContain(Password, text);
        Assert.DoesNotContain("0123456789abcdef", text);
        var http = JsonDocument.Parse(text).RootElement[0].GetProperty("http");
        Assert.Equal("MembersReader/2.0", http.GetProperty("userAgent").GetString());
        Assert.Equal("reader", http.GetProperty("basicAuthUser").GetString());
        Assert.Equal("AGGREGATOR_TEST_SITE_PASSWORD", http.GetProperty("passwordEnv").GetString());
        Assert.True(http.GetProperty("cookie").GetBoolean());
    }

    [Theory]
    [InlineData("feeds.example.org", "www.example.org", true)]
    [InlineData("example.org", "news.example.org", true)]
    [InlineData("www.bbc.co.uk", "feeds.bbc.co.uk", true)]
    [InlineData("www.bbc.co.uk", "www.itv.co.uk", false)]
    [InlineData("alice.github.io", "bob.github.io", false)]
    [InlineData("example.org", "example.com", false)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("EXAMPLE.org", "example.org.", true)]
    public void SameSiteMeansTheSameRegistrableDomain(string a, string b, bool same) =>
        Assert.Equal(same, SiteHost.SameSite(new Uri($"https://{a}/x"), new Uri($"https://{b}/y")));
}
