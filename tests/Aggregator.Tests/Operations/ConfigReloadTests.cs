using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Operations;

/// <summary>Editing feeds.json while serving: feeds added, removed and re-planned without a restart; an invalid edit is refused.</summary>
public class ConfigReloadTests
{
    private static string Rss(string title) =>
        $"<rss version=\"2.0\"><channel><title>{title}</title><item><title>{title} story</title><link>{{base}}/{title}/1</link><guid>{title}-1</guid></item></channel></rss>";

    private static string Config(string db, params (string Id, Uri Url)[] feeds) =>
        JsonSerializer.Serialize(new
        {
            storage = new { path = db },
            http = new { allowLoopback = true },
            feeds = feeds.Select(f => new { id = f.Id, url = f.Url.ToString(), fullText = false }),
        });

    [Fact]
    public async Task EditsApplyWhileServingAndAnInvalidEditKeepsTheRunningConfiguration()
    {
        await using var site = await LoopbackServer.StartAsync();
        site.MapText("/alpha.xml", Rss("alpha"), "application/rss+xml");
        site.MapText("/beta.xml", Rss("beta"), "application/rss+xml");
        using var dir = new TempDirectory();
        var path = dir.File("feeds.json");
        File.WriteAllText(path, Config("a.db", ("alpha", site.Url("/alpha.xml"))));
        var config = ConfigLoader.Load(path);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var api = await ApiHost.StartAsync(config, store, schedule: true, configPath: path);

        await Until(() => Task.FromResult(site.CountRequests("/alpha.xml") > 0), "alpha polled at start");

        // Add beta, remove alpha: the file watcher applies it; beta is polled within seconds.
        File.WriteAllText(path, Config("a.db", ("beta", site.Url("/beta.xml"))));
        await Until(async () => (await FeedIds(api)).SequenceEqual(["beta"]), "feeds listed after the edit");
        await Until(() => Task.FromResult(site.CountRequests("/beta.xml") > 0), "beta polled after being added");
        var alphaPolls = site.CountRequests("/alpha.xml");
        var refresh = await api.Client.PostAsync("/api/feeds/alpha/refresh", null);
        Assert.Equal(HttpStatusCode.NotFound, refresh.StatusCode);

        // An invalid edit is refused: the errors name the field, the running feeds stay.
        File.WriteAllText(path, Config("a.db", ("beta", site.Url("/beta.xml"))).Replace("\"fullText\":false", "\"fullText\":false,\"interval\":\"10m\""));
        var reload = await api.Client.PostAsync("/api/config/reload", null);
        Assert.Equal(HttpStatusCode.BadRequest, reload.StatusCode);
        var problem = await reload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("$.feeds[0].interval", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        await Task.Delay(1000); // the watcher's attempt is refused too
        Assert.Equal(["beta"], await FeedIds(api));

        // A valid manual reload reports what changed.
        File.WriteAllText(path, Config("a.db", ("beta", site.Url("/beta.xml")), ("alpha", site.Url("/alpha.xml"))));
        var applied = await api.Client.PostAsync("/api/config/reload", null);
        var body = await applied.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(applied.StatusCode == HttpStatusCode.OK, body.ToString());
        await Until(async () => (await FeedIds(api)).Order().SequenceEqual(["alpha", "beta"]), "alpha back");
        await Until(() => Task.FromResult(site.CountRequests("/alpha.xml") > alphaPolls), "alpha polled again after being re-added");
    }

    private static async Task<List<string>> FeedIds(ApiHost api) =>
        (await api.Client.GetFromJsonAsync<JsonElement>("/api/feeds")).EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToList();

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out waiting for: {what}");
    }
}
