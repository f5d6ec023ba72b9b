using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>What a reconciliation changed.</summary>
public sealed record ReconcileResult(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Replanned, int Kept);

/// <summary>
/// Brings the scheduler's feed jobs in line with the configuration (<see cref="SchedulePlan"/>), at
/// start and on every config reload. Safe on a cluster whose nodes do it at the same moment: a
/// missing trigger is scheduled with <see cref="TriggerConflict.Keep"/>, which the job store decides
/// under its own lock, so of two nodes exactly one plans the feed's first poll.
/// </summary>
public static class FeedReconciler
{
    public static async Task<ReconcileResult> ReconcileAsync(IScheduler scheduler, AggregatorConfig config, IStoryStore store, TimeProvider time, TimeSpan firstRunWithin, CancellationToken cancel)
    {
        var jobs = await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(SchedulingServices.Group), Take = PagedQuery.All }, cancel);
        var triggers = await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(SchedulingServices.Group), Take = PagedQuery.All }, cancel);
        var plan = SchedulePlan.Of(
            jobs.Items.ToDictionary(j => j.Key.Name, j => j.Description, StringComparer.Ordinal),
            triggers.Items.Where(t => t.NextFireTimeUtc is not null).Select(t => t.Key.Name).ToHashSet(StringComparer.Ordinal),
            Disabled(config, store),
            config);

        foreach (var id in plan.Remove) await scheduler.DeleteJob(SchedulingServices.JobKeyFor(id), cancel);
        foreach (var feed in plan.Store) await scheduler.AddJob(SchedulingServices.JobFor(feed, config), AddJobOptions.Replacing, cancel);
        var added = new List<string>();
        foreach (var feed in plan.Replan) await scheduler.ScheduleTrigger(FirstPoll(feed, config, time, firstRunWithin), TriggerConflict.Replace, cancel);
        foreach (var feed in plan.Ensure)
        {
            var result = await scheduler.ScheduleTrigger(FirstPoll(feed, config, time, firstRunWithin), TriggerConflict.Keep, cancel);
            if (result.Outcome != ScheduleOutcome.Kept) added.Add(feed.Id);
        }
        return new ReconcileResult(added, plan.Remove, plan.Replan.Select(f => f.Id).ToList(), config.Feeds.Count - added.Count - plan.Replan.Count);
    }

    /// <summary>Feeds their publisher removed (410 Gone); when the store cannot say, none: the polls then report its fault.</summary>
    private static HashSet<string> Disabled(AggregatorConfig config, IStoryStore store)
    {
        try
        {
            return config.Feeds.Where(f => store.GetFeedState(f.Id).Status == FeedStatus.Disabled).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is StorageFaultException or ObjectDisposedException or LiteDB.LiteException or IOException)
        {
            return [];
        }
    }

    /// <summary>The first poll is spread over a short window so feeds do not all hit the network at once.</summary>
    private static ITrigger FirstPoll(FeedConfig feed, AggregatorConfig config, TimeProvider time, TimeSpan within) =>
        SchedulingServices.Planned(feed.Id, time.GetUtcNow().AddMilliseconds(Random.Shared.NextDouble() * within.TotalMilliseconds),
            SchedulingServices.Backstop(TimeSpan.Zero, config.IntervalOf(feed)));
}
