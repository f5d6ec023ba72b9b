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
            logger.LogInformation("{Summary}", summary);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Feed {FeedId}: poll interrupted by shutdown", feed.Id);
        }
    }
}
