using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Polls one feed through the pipeline. One job key per feed, never two runs of one feed at once.</summary>
[DisallowConcurrentExecution]
public sealed class FeedPollJob(FeedIngestor ingestor, AggregatorConfig config, ILogger<FeedPollJob> logger) : IJob
{
    public const string FeedIdKey = "feedId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var feedId = context.MergedJobDataMap.GetString(FeedIdKey);
        if (feedId is null || config.FindFeed(feedId) is not { } feed)
        {
            logger.LogWarning("Job {Job} names no configured feed", context.JobDetail.Key);
            return;
        }
        using var scope = logger.BeginScope("FeedId:{FeedId}", feed.Id);
        try
        {
            var summary = await ingestor.IngestAsync(feed, cancellationToken);
            logger.LogInformation("{Summary}; next poll {NextFetch:u}", summary, summary.NextFetch);
            await ScheduleNextAsync(context.Scheduler, feed.Id, summary.NextFetch, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Feed {FeedId}: poll interrupted by shutdown", feed.Id);
        }
    }

    /// <summary>
    /// Each feed has one trigger that fires once; after every poll (scheduled or a manual refresh) it
    /// is replaced by one at the time the planner chose. A disabled feed (410 Gone) gets none.
    /// </summary>
    private static async Task ScheduleNextAsync(IScheduler scheduler, string feedId, DateTime? next, CancellationToken cancel)
    {
        var key = SchedulingServices.TriggerKeyFor(feedId);
        if (next is null)
        {
            await scheduler.UnscheduleJob(key, cancel);
            return;
        }
        var trigger = SchedulingServices.OneShot(feedId, new DateTimeOffset(DateTime.SpecifyKind(next.Value, DateTimeKind.Utc)));
        if (await scheduler.RescheduleJob(key, trigger, cancel) is null) await scheduler.ScheduleJob(trigger, default(ScheduleJobOptions), cancel);
    }
}
