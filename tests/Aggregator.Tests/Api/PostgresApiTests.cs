using System.Net;
using System.Text.Json;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Api;

/// <summary>The real web host over the PostgreSQL store: the same API, health and outputs.</summary>
public sealed class PostgresApiTests(TestPostgres server) : IClassFixture<TestPostgres>
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [SkippableFact]
    public async Task StoriesHealthAndFeedsAreServedFromPostgres()
    {
        using var store = PostgresStoryStore.Open(server.NewSchema(), TimeProvider.System);
        var story = new StoryRecord
        {
            Id = "00000000000000a1", SortKey = StoryRecord.MakeSortKey(Now, "00000000000000a1"), Title = "Harbour bridge reopens", Category = "World",
            Published = Now, FirstSeen = Now, Updated = Now, Text = "The bridge reopened.", Html = "<p>The bridge reopened.</p>",
            Sources = [new StorySource { FeedId = "loop", Url = "https://loop.example/bridge", FirstSeen = Now, Published = Now }],
        };
        await store.AddOrAttachAsync(story, [new StoryKey(StoryKeys.Url, StoryKeys.Hash("bridge"))], Now);
        var config = TestConfigs.For("/nonexistent/unused.db", TestConfigs.Feed("loop", new Uri("https://loop.example/rss")));
        await using var host = await ApiHost.StartAsync(config, store);

        var list = JsonDocument.Parse(await host.Client.GetStringAsync("/api/stories?category=World")).RootElement;
        Assert.Equal("Harbour bridge reopens", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        var detail = JsonDocument.Parse(await host.Client.GetStringAsync("/api/stories/00000000000000a1")).RootElement;
        Assert.Equal("The bridge reopened.", detail.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/stories/ffffffffffffffff")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
        var feeds = JsonDocument.Parse(await host.Client.GetStringAsync("/api/feeds")).RootElement;
        Assert.Equal(1, feeds[0].GetProperty("storyCount").GetInt32());
        Assert.Contains("Harbour bridge reopens", await host.Client.GetStringAsync("/feeds/world.rss"));
        var backup = await host.Client.PostAsync("/api/backup", new StringContent("""{"path":"x.db"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, backup.StatusCode);
        Assert.Contains("pg_dump", await backup.Content.ReadAsStringAsync());
    }
}
