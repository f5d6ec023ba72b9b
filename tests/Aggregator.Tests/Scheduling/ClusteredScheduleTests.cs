using Aggregator.Core.Configuration;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Aggregator.Tests.Scheduling;

/// <summary>
/// On PostgreSQL the schedule lives in Quartz's clustered store: a node that starts again keeps every
/// planned poll, and only what the configuration changed is planned anew.
/// </summary>
public sealed class ClusteredScheduleTests(TestPostgres server) : IClassFixture<TestPostgres>
{
    private static AggregatorConfig Config(string database, string node, params FeedConfig[] feeds) =>
        TestConfigs.For("unused.db", feeds) with
        {
            Storage = new StorageOptions("unused.db") { Provider = StorageOptions.Postgres, ConnectionString = database, NodeId = node },
        };

    private static FeedConfig Feed(string id, TimeSpan? interval = null) =>
        TestConfigs.Feed(id, new Uri($"http://127.0.0.1:9/{id}.xml")) with { Interval = interval };

    private static async Task<Dictionary<string, ITrigger>> TriggersAfterStart(AggregatorConfig config)
    {
        using var store = PostgresStoryStore.Open(config.Storage.ConnectionString!, TimeProvider.System);
        await using var host = await ApiHost.StartAsync(config, store, schedule: false); // reconciled at start; nothing fires
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.Equal(config.Storage.NodeId, scheduler.SchedulerInstanceId);
        var result = new Dictionary<string, ITrigger>();
        foreach (var feed in new[] { "kept", "slower", "removed", "added" })
            if (await scheduler.GetTrigger(SchedulingServices.TriggerKeyFor(feed)) is { } trigger) result[feed] = trigger;
        Assert.Equal(result.Keys.Order(), (await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(SchedulingServices.Group) })).Items.Select(j => j.Key.Name).Order());
        return result;
    }

    [SkippableFact]
    public async Task ANodeStartingAgain_KeepsPlannedPolls_AndAppliesOnlyWhatTheConfigChanged()
    {
        var database = server.NewSchema();
        var first = await TriggersAfterStart(Config(database, "n1", Feed("kept"), Feed("slower"), Feed("removed")));
        Assert.Equal(["kept", "removed", "slower"], first.Keys.Order());

        var second = await TriggersAfterStart(Config(database, "n2", Feed("kept"), Feed("slower", TimeSpan.FromHours(3)), Feed("added")));
        Assert.Equal(["added", "kept", "slower"], second.Keys.Order());
        Assert.Equal(first["kept"].NextFireTimeUtc, second["kept"].NextFireTimeUtc); // planned: not re-polled
        Assert.Equal(TimeSpan.FromHours(1), ((ISimpleTrigger)second["kept"]).RepeatInterval);
        Assert.Equal(TimeSpan.FromHours(3), ((ISimpleTrigger)second["slower"]).RepeatInterval); // interval changed: re-planned
    }
}
