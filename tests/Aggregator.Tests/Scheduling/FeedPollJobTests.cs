using Aggregator.Core.Storage;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Quartz;

namespace Aggregator.Tests.Scheduling;

/// <summary>A feed never loses its next poll: not to a store that throws, nor to a run cut short.</summary>
public sealed class FeedPollJobTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task<ITrigger?> TriggerAsync(ApiHost host, string feedId)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.GetTrigger(SchedulingServices.TriggerKeyFor(feedId));
    }

    [Fact]
    public async Task AStoreThatThrows_DoesNotEscapeTheJob_AndTheFeedIsPlannedAgain()
    {
        _server.MapText("/feed.xml", "<rss version=\"2.0\"><channel><title>T</title></channel></rss>", "application/rss+xml");
        var config = TestConfigs.For(_dir.File("a.db"), TestConfigs.Feed("f", _server.Url("/feed.xml")));
        var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        store.Dispose(); // every read and write now throws ObjectDisposedException
        await using var host = await ApiHost.StartAsync(config, store, schedule: true);

        var planned = DateTimeOffset.UtcNow.AddMinutes(50); // the configured interval is an hour
        var deadline = DateTime.UtcNow.AddSeconds(15);
        ITrigger? trigger;
        do
        {
            await Task.Delay(100);
            trigger = await TriggerAsync(host, "f");
        } while (DateTime.UtcNow < deadline && !(trigger?.NextFireTimeUtc > planned));
        Assert.NotNull(trigger);
        Assert.True(trigger.NextFireTimeUtc > planned, $"next poll {trigger.NextFireTimeUtc:u}: the failed run was not replanned");
    }

    [Fact]
    public async Task WhileAPollRuns_TheFeedKeepsANextFireTime()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        _server.Map("/slow.xml", async context =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync("<rss version=\"2.0\"><channel><title>T</title></channel></rss>");
        });
        var config = TestConfigs.For(_dir.File("b.db"), TestConfigs.Feed("slow", _server.Url("/slow.xml")));
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var host = await ApiHost.StartAsync(config, store, schedule: true);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        // A node stopped now (or a job that throws now) must not leave the feed without a trigger.
        var during = await TriggerAsync(host, "slow");
        Assert.NotNull(during);
        Assert.NotNull(during.NextFireTimeUtc);
        release.SetResult();
    }
}
