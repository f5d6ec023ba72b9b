using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>The hourly retention sweep (first a minute after start).</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(IStoryStore store, AggregatorConfig config, TimeProvider time, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention", "maintenance");

    /// <summary>Never throws: a failed sweep is logged and the hourly trigger tries again.</summary>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Retention.SweepAsync(store, config.Retention, time.GetUtcNow().UtcDateTime, cancellationToken);
            if (result.StoriesDeleted + result.TombstonesPurged > 0)
                logger.LogInformation("Retention: {Deleted} stories deleted (older than {Days} days or beyond {Max}), {Purged} tombstones purged; database {Size:N0} bytes",
                    result.StoriesDeleted, config.Retention.Days, config.Retention.MaxStories, result.TombstonesPurged, store.StorageBytes);
            // The outbox is bounded by the clock (events are stamped when they commit) and by count.
            var trimmed = await store.TrimOutboxAsync(time.GetUtcNow().UtcDateTime.AddDays(-config.Events.RetentionDays), config.Events.MaxEvents);
            if (trimmed > 0)
                logger.LogInformation("Retention: {Trimmed} outbox events trimmed (older than {Days} days or beyond {Max})",
                    trimmed, config.Events.RetentionDays, config.Events.MaxEvents);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Retention: the sweep failed; it runs again within the hour");
        }
    }
}
