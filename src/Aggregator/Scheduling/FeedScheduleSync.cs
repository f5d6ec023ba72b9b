using Aggregator.Core.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>
/// At start, before the scheduler runs: plans the feeds that have no planned poll, deletes the jobs of
/// feeds no longer configured, re-plans feeds whose URL or interval changed, and leaves every other
/// feed's planned poll alone (on a cluster, a joining or restarted node does not re-poll them).
/// </summary>
public sealed class FeedScheduleSync(ISchedulerFactory schedulers, LiveConfig live, Core.Storage.IStoryStore store, TimeProvider time, FeedScheduleSync.Options options, ILogger<FeedScheduleSync> logger) : IHostedService
{
    /// <param name="FirstRunWithin">The window a newly planned feed's first poll falls in.</param>
    public sealed record Options(TimeSpan FirstRunWithin);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var result = await FeedReconciler.ReconcileAsync(scheduler, live.Current, store, time, options.FirstRunWithin, cancellationToken);
        logger.LogInformation("Scheduler {Instance}: {Added} feeds planned now, {Kept} already planned, {Replanned} re-planned (URL or interval changed), {Removed} removed",
            scheduler.SchedulerInstanceId, result.Added.Count, result.Kept, result.Replanned.Count, result.Removed.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
