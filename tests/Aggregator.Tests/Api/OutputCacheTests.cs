using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Api;
using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Api;

/// <summary>Rendered outputs: kept per store version and config generation, bounded (LRU), served with their validators.</summary>
public class OutputCacheTests : IAsyncLifetime
{
    private static readonly DateTime Base = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _dir = new();
    private AggregatorConfig _config = null!;
    private StoryStore _store = null!;

    public async Task InitializeAsync()
    {
        _config = TestConfigs.For(_dir.File("c.db"), TestConfigs.Feed("wire", new Uri("https://wire.example/rss"), fullText: false));
        _store = StoryStore.Open(_config.Storage.Path, TimeProvider.System);
        for (var i = 0; i < 3; i++) await AddStoryAsync(i);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private Task AddStoryAsync(int i)
    {
        var id = $"{i + 1:x16}";
        return _store.AddOrAttachAsync(new StoryRecord
        {
            Id = id, SortKey = StoryRecord.MakeSortKey(Base.AddHours(i), id), Title = $"Story {i}", Url = $"https://wire.example/{i}", Category = "World",
            Text = "Body", Html = "<p>Body</p>", Published = Base.AddHours(i), FirstSeen = Base, Updated = Base.AddHours(i),
            Sources = [new StorySource { FeedId = "wire", Title = "Wire", Url = $"https://wire.example/{i}", FirstSeen = Base }],
        }, [new StoryKey(StoryKeys.Url, StoryKeys.Hash(id))], Base);
    }

    private static Rendered Output(string text) => new(Encoding.UTF8.GetBytes(text), "text/plain");

    [Fact]
    public async Task GetOrCreate_StoryChangeOrReload_RendersAgainButAFeedStateSaveDoesNot()
    {
        var live = new LiveConfig(_config);
        var cache = new OutputCache(_store, live);
        var renders = 0;
        Rendered Render() => Output($"render {++renders}");

        var first = cache.GetOrCreate("page", Render);
        Assert.Same(first, cache.GetOrCreate("page", Render));
        await _store.SaveFeedStateAsync(new FeedStateRecord { Id = "wire", Status = FeedStatus.Ok });
        Assert.Same(first, cache.GetOrCreate("page", Render));
        Assert.Equal(1, renders);

        await AddStoryAsync(10);
        var afterStory = cache.GetOrCreate("page", Render);
        Assert.Equal("render 2", Encoding.UTF8.GetString(afterStory.Body));
        live.Replace(_config with { Output = _config.Output with { Title = "Renamed" } });
        Assert.Equal("render 3", Encoding.UTF8.GetString(cache.GetOrCreate("page", Render).Body));
        Assert.Equal("render 4", Encoding.UTF8.GetString(cache.GetOrCreate("page", Render, extra: 7).Body)); // another minute
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrCreate_PastTheEntryCap_DropsTheLeastRecentlyUsed()
    {
        var cache = new OutputCache(_store, new LiveConfig(_config));
        var kept = cache.GetOrCreate("kept", () => Output("kept"));
        for (var i = 0; i < OutputCache.MaxEntries + 10; i++)
        {
            cache.GetOrCreate(i, () => Output($"entry {i}"));
            Assert.Same(kept, cache.GetOrCreate("kept", () => Output("again"))); // used all along: never the least recent
        }
        Assert.Equal(OutputCache.MaxEntries, cache.Count);
        var rendered = false;
        cache.GetOrCreate(0, () => { rendered = true; return Output("entry 0"); });
        Assert.True(rendered, "the oldest entry was dropped");
    }

    [Fact]
    public void GetOrCreate_PastTheByteCap_DropsTheLeastRecentlyUsed()
    {
        var cache = new OutputCache(_store, new LiveConfig(_config));
        var big = (int)(OutputCache.MaxBytes / 3) + 1;
        for (var i = 0; i < 3; i++) cache.GetOrCreate(i, () => new Rendered(new byte[big], "application/octet-stream"));
        Assert.Equal(2, cache.Count);
        Assert.True(cache.Bytes <= OutputCache.MaxBytes, $"{cache.Bytes} bytes kept");
        // One output larger than the whole budget is still served (and kept alone).
        var huge = cache.GetOrCreate("huge", () => new Rendered(new byte[OutputCache.MaxBytes + 1], "application/octet-stream"));
        Assert.Equal(OutputCache.MaxBytes + 1, huge.Body.Length);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrCreateFound_NothingFound_IsNotKept()
    {
        var cache = new OutputCache(_store, new LiveConfig(_config));
        var asked = 0;
        Assert.Null(cache.GetOrCreateFound("missing", () => { asked++; return null; }));
        Assert.Null(cache.GetOrCreateFound("missing", () => { asked++; return null; }));
        Assert.Equal(2, asked);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task StoryListAndPages_ServedWithValidatorsUntilAStoryChanges()
    {
        await using var api = await ApiHost.StartAsync(_config, _store);
        var list = await api.Client.GetAsync("/api/stories?limit=2");
        var etag = list.Headers.ETag!;
        Assert.Equal("application/json; charset=utf-8", list.Content.Headers.ContentType!.ToString());
        Assert.Equal("public, max-age=30", list.Headers.CacheControl!.ToString());
        Assert.Equal(etag, (await api.Client.GetAsync("/api/stories?limit=2")).Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await IfNoneMatch(api, "/api/stories?limit=2", etag)).StatusCode);

        await AddStoryAsync(20);
        var after = await api.Client.GetAsync("/api/stories?limit=2");
        Assert.NotEqual(etag, after.Headers.ETag);
        Assert.Equal("Story 20", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await IfNoneMatch(api, "/api/stories?limit=2", etag)).StatusCode);

        var index = await api.Client.GetAsync("/");
        Assert.Null(index.Content.Headers.LastModified); // relative times: only the ETag says whether it changed
        Assert.Contains("default-src 'none'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.NotModified, (await IfNoneMatch(api, "/", index.Headers.ETag!)).StatusCode);

        var story = await api.Client.GetAsync($"/stories/{1:x16}");
        Assert.Equal(Base, story.Content.Headers.LastModified!.Value.UtcDateTime);
        using var since = new HttpRequestMessage(HttpMethod.Get, $"/stories/{1:x16}");
        since.Headers.IfModifiedSince = story.Content.Headers.LastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await api.Client.SendAsync(since)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await IfNoneMatch(api, $"/stories/{1:x16}", story.Headers.ETag!)).StatusCode);

        var missing = await api.Client.GetAsync("/stories/ffffffffffffffff");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Story not found", await missing.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'none'", missing.Headers.GetValues("Content-Security-Policy").Single());

        using var head = new HttpRequestMessage(HttpMethod.Head, "/");
        var headResponse = await api.Client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Equal(index.Headers.ETag, headResponse.Headers.ETag);
        Assert.Equal((await index.Content.ReadAsByteArrayAsync()).Length, headResponse.Content.Headers.ContentLength);
        Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync());
    }

    private static Task<HttpResponseMessage> IfNoneMatch(ApiHost api, string url, System.Net.Http.Headers.EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return api.Client.SendAsync(request);
    }
}
