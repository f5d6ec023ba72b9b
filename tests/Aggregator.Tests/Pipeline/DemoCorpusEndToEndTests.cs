using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Aggregator.Core.Storage;
using Aggregator.Demo;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Pipeline;

/// <summary>The whole pipeline over the bundled demo corpus, served by a real loopback server, read back through the real API.</summary>
public class DemoCorpusEndToEndTests
{
    [Fact]
    public async Task DemoCorpusBecomesOneStoryPerArticleWithEverySource()
    {
        await using var site = await DemoSite.StartAsync(TimeProvider.System, CancellationToken.None);
        using var dir = new TempDirectory();
        var config = site.Config(new Uri("http://news.example/")) with { Storage = new Core.Configuration.StorageOptions(dir.File("demo.db")) };
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);

        var summaries = new List<Core.Pipeline.FeedRunSummary>();
        foreach (var feed in config.Feeds) summaries.Add(await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None));

        Assert.Equal(FeedStatus.Failing, summaries.Single(s => s.FeedId == "broken-example").Status);
        Assert.All(summaries.Where(s => s.FeedId != "broken-example"), s => Assert.Equal(FeedStatus.Ok, s.Status));
        Assert.Equal("http-4xx", store.GetFeedState("broken-example").ErrorClass);
        Assert.Equal(8, store.StoryCount);

        var stories = store.QueryStories(new StoryQuery(100)).Items;
        var marcos = stories.Single(s => s.Text!.StartsWith("President Ferdinand Marcos Jr said", StringComparison.Ordinal));
        Assert.Equal(["gulfwire-world", "northpost-world"], marcos.Sources.Select(s => s.FeedId).Order());
        Assert.Contains(marcos.Sources, s => s.MatchedBy == "text");
        var rhine = stories.Single(s => s.Text!.StartsWith("Cargo barges on the Rhine", StringComparison.Ordinal));
        Assert.Equal(2, rhine.Sources.Count);
        Assert.Equal("Low water on the Rhine forces barges to sail half empty", rhine.Title); // the outlet's, not the digest's relay
        Assert.Equal("gulfwire-world", marcos.Sources[0].FeedId); // published first
        Assert.All(rhine.Sources, s => Assert.DoesNotContain("utm_", s.Url));
        var iceland = stories.Single(s => s.Title.StartsWith("Iceland", StringComparison.Ordinal));
        Assert.Equal(5, iceland.Text!.Split("\n\n").Length); // only in JSON-LD on its page
        Assert.All(stories, s => Assert.DoesNotContain("For the latest headlines", s.Text));
        Assert.All(stories, s => Assert.DoesNotContain("Sign up for our morning newsletter", s.Text));
        Assert.All(stories, s => Assert.DoesNotContain("All rights reserved", s.Text));

        // A second pass finds nothing new and downloads no article page again.
        var again = new List<Core.Pipeline.FeedRunSummary>();
        foreach (var feed in config.Feeds.Where(f => f.Id != "broken-example")) again.Add(await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None));
        Assert.All(again, s => Assert.Equal(0, s.New));
        Assert.Equal(8, store.StoryCount);

        await using var api = await ApiHost.StartAsync(config, store);
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/stories?limit=50");
        Assert.Equal(8, list.GetProperty("items").GetArrayLength());
        var first = list.GetProperty("items")[0];
        foreach (var key in new[] { "id", "title", "url", "category", "published", "summary", "sources" }) Assert.True(first.TryGetProperty(key, out _), key);

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/stories/{marcos.Id}");
        Assert.Equal(marcos.Text, detail.GetProperty("text").GetString());
        Assert.Equal(2, detail.GetProperty("sources").GetArrayLength());

        var rss = XDocument.Parse(await api.Client.GetStringAsync("/feeds/world.rss"));
        Assert.Equal(8, rss.Descendants("item").Count());
        var atom = XDocument.Parse(await api.Client.GetStringAsync("/feeds/world.atom"));
        Assert.Equal(8, atom.Root!.Elements(XName.Get("entry", "http://www.w3.org/2005/Atom")).Count());
        var json = await api.Client.GetFromJsonAsync<JsonElement>("/feeds/world.json");
        Assert.Equal(8, json.GetProperty("items").GetArrayLength());

        var page = await api.Client.GetStringAsync("/");
        Assert.Contains(marcos.Title, System.Net.WebUtility.HtmlDecode(page));
        Assert.Contains("+1 more", page);
    }
}
