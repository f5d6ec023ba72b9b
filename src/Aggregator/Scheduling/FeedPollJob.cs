using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>
/// Polls one feed through the pipeline. One job key per feed, never two runs of one feed at once.
/// Never lets an exception escape, and always leaves the feed a next fire time: the feed's trigger
/// repeats (a backstop should a run end without replanning), and each run moves it to the planner's time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class FeedPollJob(FeedIngestor ingestor, AggregatorConfig config, TimeProvider time, ILogger<FeedPollJob> logger) : IJob
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
        DateTime? next;
        try
        {
            var summary = await ingestor.IngestAsync(feed, cancellationToken);
            logger.LogInformation("{Summary}; next poll {NextFetch:u}", summary, summary.NextFetch);
            next = summary.NextFetch;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The repeating trigger keeps the feed's next poll; the scheduler is stopping.
            logger.LogInformation("Feed {FeedId}: poll interrupted by shutdown", feed.Id);
            return;
        }
        catch (Exception e)
        {
            next = time.GetUtcNow().UtcDateTime + config.IntervalOf(feed);
            logger.LogError(e, "Feed {FeedId}: poll failed unexpectedly; next poll at the configured interval", feed.Id);
        }
        try
        {
            await ScheduleNextAsync(context.Scheduler, feed.Id, next, config.IntervalOf(feed), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Feed {FeedId}: could not replan the next poll; the repeating trigger stands", feed.Id);
        }
    }

    /// <summary>
    /// Each feed has one repeating trigger; after every poll (scheduled or a manual refresh) it is
    /// replaced by one that starts at the time the planner chose. A disabled feed (410 Gone) gets none.
    /// </summary>
    private async Task ScheduleNextAsync(IScheduler scheduler, string feedId, DateTime? next, TimeSpan interval, CancellationToken cancel)
    {
        var key = SchedulingServices.TriggerKeyFor(feedId);
        if (next is null)
        {
            await scheduler.UnscheduleJob(key, cancel);
            return;
        }
        var at = new DateTimeOffset(DateTime.SpecifyKind(next.Value, DateTimeKind.Utc));
        var trigger = SchedulingServices.Planned(feedId, at, SchedulingServices.Backstop(at - time.GetUtcNow(), interval));
        if (await scheduler.RescheduleJob(key, trigger, cancel) is null) await scheduler.ScheduleJob(trigger, default(ScheduleJobOptions), cancel);
    }
}
