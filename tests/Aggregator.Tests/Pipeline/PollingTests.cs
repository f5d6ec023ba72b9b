using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Pipeline;

/// <summary>Polling like a good citizen: caching hints, Retry-After, permanent moves, 410 Gone, and the scheduler following the plan.</summary>
public class PollingTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private readonly TempDirectory _dir = new();
    private const string Feed = """<rss version="2.0"><channel><title>T</title>{ttl}<item><title>One</title><guid>1</guid><description>Body.</description></item></channel></rss>""";

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<(FeedRunSummary Summary, FeedStateRecord State)> Poll(string path, int times = 1)
    {
        var feed = TestConfigs.Feed("f", _server.Url(path), fullText: false);
        var config = TestConfigs.For(_dir.File($"{Guid.NewGuid():N}.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        FeedRunSummary summary = null!;
        for (var i = 0; i < times; i++) summary = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        return (summary, store.GetFeedState("f"));
    }

    private static TimeSpan FromNow(DateTime? at) => at!.Value - DateTime.UtcNow;

    [Fact]
    public async Task TooManyRequestsWaitsForRetryAfterSeconds()
    {
        _server.Map("/429", context => { context.Response.StatusCode = 429; context.Response.Headers.RetryAfter = "7200"; return Task.CompletedTask; });
        var (summary, state) = await Poll("/429");
        Assert.Equal(FeedStatus.Failing, summary.Status);
        Assert.Equal("rate-limited", state.ErrorClass);
        Assert.InRange(FromNow(state.NextFetch), TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
        Assert.Equal("Retry-After", state.PlanReason);
    }

    [Fact]
    public async Task UnavailableWaitsForRetryAfterDate()
    {
        var at = DateTimeOffset.UtcNow.AddHours(5);
        _server.Map("/503", context => { context.Response.StatusCode = 503; context.Response.Headers.RetryAfter = at.ToString("R"); return Task.CompletedTask; });
        var (_, state) = await Poll("/503");
        Assert.Equal("http-5xx", state.ErrorClass);
        Assert.InRange(FromNow(state.NextFetch), TimeSpan.FromHours(4.9), TimeSpan.FromHours(5.01));
    }

    [Fact]
    public async Task GoneDisablesTheFeedVisibly()
    {
        _server.MapText("/gone", "bye", status: 410);
        var (summary, state) = await Poll("/gone");
        Assert.Equal(FeedStatus.Disabled, state.Status);
        Assert.Null(state.NextFetch);
        Assert.Null(summary.NextFetch);
        Assert.Contains("410", state.Error);
    }

    [Fact]
    public async Task AGoneFeedIsNotPolledAgainWhenTheServiceRestarts()
    {
        // The in-memory scheduler starts empty, so every feed is planned anew at a start: all but the one its
        // publisher removed. The live feed beside it shows the restart's first polls did happen.
        _server.MapText("/gone-for-good", "bye", status: 410);
        _server.MapText("/alive", Feed.Replace("{ttl}", ""), "application/rss+xml");
        var config = TestConfigs.For(_dir.File("restart.db"),
            TestConfigs.Feed("gone", _server.Url("/gone-for-good"), fullText: false), TestConfigs.Feed("alive", _server.Url("/alive"), fullText: false));
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        for (var run = 1; run <= 2; run++)
        {
            await using var api = await ApiHost.StartAsync(config, store, schedule: true);
            for (var i = 0; i < 100 && _server.CountRequests("/alive") < run; i++) await Task.Delay(100);
            Assert.Equal(run, _server.CountRequests("/alive"));
            for (var i = 0; i < 50 && store.GetFeedState("gone").Status != FeedStatus.Disabled; i++) await Task.Delay(100);
            await Task.Delay(500);
            var gone = (await api.Client.GetFromJsonAsync<JsonElement>("/api/feeds")).EnumerateArray().Single(f => f.GetProperty("id").GetString() == "gone");
            Assert.Equal("disabled", gone.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, gone.GetProperty("nextFetch").ValueKind);
        }
        Assert.Equal(1, _server.CountRequests("/gone-for-good"));
    }

    [Fact]
    public async Task ErrorsBackOffAndSayWhen()
    {
        _server.MapText("/broken", "oops", status: 500);
        var (_, state) = await Poll("/broken", times: 3);
        Assert.Equal(3, state.ConsecutiveFailures);
        Assert.InRange(FromNow(state.NextFetch), TimeSpan.FromMinutes(4 * 60 * 0.89), TimeSpan.FromMinutes(4 * 60 * 1.11));
        Assert.StartsWith("error backoff", state.PlanReason);
    }

    [Fact]
    public async Task PermanentMoveIsRecordedAndFollowed()
    {
        _server.Map("/old", context => { context.Response.StatusCode = 301; context.Response.Headers.Location = "/new"; return Task.CompletedTask; });
        _server.MapText("/new", Feed.Replace("{ttl}", ""), "application/rss+xml");
        var (_, state) = await Poll("/old", times: 2);
        Assert.EndsWith("/new", state.MovedTo);
        Assert.Equal(1, _server.CountRequests("/old"));
        Assert.Equal(2, _server.CountRequests("/new"));
    }

    [Fact]
    public async Task TemporaryMoveIsNotRecorded()
    {
        _server.Map("/temp", context => { context.Response.Redirect("/new2"); return Task.CompletedTask; });
        _server.MapText("/new2", Feed.Replace("{ttl}", ""), "application/rss+xml");
        var (_, state) = await Poll("/temp", times: 2);
        Assert.Null(state.MovedTo);
        Assert.Equal(2, _server.CountRequests("/temp"));
    }

    [Fact]
    public async Task CacheControlMaxAgeAndTtlDelayTheNextPoll()
    {
        _server.Map("/cached", async context =>
        {
            context.Response.Headers.CacheControl = "public, max-age=10800";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Feed.Replace("{ttl}", ""));
        });
        _server.MapText("/ttl", Feed.Replace("{ttl}", "<ttl>180</ttl>"), "application/rss+xml");
        var (_, cached) = await Poll("/cached");
        Assert.InRange(FromNow(cached.NextFetch), TimeSpan.FromMinutes(179), TimeSpan.FromMinutes(181));
        var (_, ttl) = await Poll("/ttl");
        Assert.InRange(FromNow(ttl.NextFetch), TimeSpan.FromMinutes(180 * 0.89), TimeSpan.FromMinutes(180 * 1.11));
        Assert.Equal("publisher ttl/updatePeriod", ttl.PlanReason);
    }

    [Fact]
    public async Task TheSchedulerPollsAndThenFollowsThePlan()
    {
        _server.MapText("/scheduled", Feed.Replace("{ttl}", "<ttl>60</ttl>"), "application/rss+xml");
        var feed = TestConfigs.Feed("sched", _server.Url("/scheduled"), fullText: false);
        var config = TestConfigs.For(_dir.File("sched.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var api = await ApiHost.StartAsync(config, store, schedule: true);
        JsonElement health = default;
        for (var i = 0; i < 100 && store.GetFeedState("sched").LastSucceeded is null; i++) await Task.Delay(100);
        await Task.Delay(300); // the job reschedules right after recording the poll
        health = (await api.Client.GetFromJsonAsync<JsonElement>("/api/feeds"))[0];
        Assert.Equal("ok", health.GetProperty("status").GetString());
        var next = health.GetProperty("nextFetch").GetDateTimeOffset();
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(53), TimeSpan.FromMinutes(67));
        Assert.Equal(1, _server.CountRequests("/scheduled"));
    }
}
