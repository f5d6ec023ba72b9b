using Aggregator.Core.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Quartz: one job and one trigger per feed, the feed's interval plus a per-feed jitter.</summary>
public static class SchedulingServices
{
    public const string Group = "feeds";

    public static JobKey JobKeyFor(string feedId) => new(feedId, Group);

    public static TriggerKey TriggerKeyFor(string feedId) => new(feedId, Group);

    public static IServiceCollection AddFeedScheduling(this IServiceCollection services, AggregatorConfig config, TimeProvider time, TimeSpan firstRunWithin, bool autoStart = true)
    {
        // Shutdown interrupts running polls (their CancellationToken fires) and waits for them: prompt and clean.
        var properties = new System.Collections.Specialized.NameValueCollection
        {
            ["quartz.scheduler.interruptJobsOnShutdownWithWait"] = "true",
        };
        services.AddQuartz(properties, q =>
        {
            q.UseTimeProvider(time);
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = Math.Max(2, config.Schedule.MaxConcurrentFetches));
            foreach (var feed in config.Feeds) AddFeed(q, config, feed, time.GetUtcNow(), firstRunWithin);
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
            o.AutoStart = autoStart;
        });
        return services;
    }

    private static void AddFeed(IQuartzBuilder q, AggregatorConfig config, FeedConfig feed, DateTimeOffset now, TimeSpan firstRunWithin)
    {
        var interval = config.IntervalOf(feed);
        // Jitter spreads feeds that share an interval, so they do not all hit the network at once.
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(interval.TotalMilliseconds * 0.05, 60_000));
        var firstRun = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * firstRunWithin.TotalMilliseconds);
        var key = JobKeyFor(feed.Id);
        q.AddJob<FeedPollJob>(j => j.WithIdentity(key).UsingJobData(FeedPollJob.FeedIdKey, feed.Id).StoreDurably(true));
        q.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(TriggerKeyFor(feed.Id))
            .StartAt(now.Add(firstRun))
            .WithSimpleSchedule(s => s.WithInterval(interval + jitter).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }
}
