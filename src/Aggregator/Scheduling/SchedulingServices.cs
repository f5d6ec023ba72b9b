using Aggregator.Core.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Quartz: one durable job and one one-shot trigger per feed; each poll schedules the next.</summary>
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
            foreach (var feed in config.Feeds) AddFeed(q, feed, time.GetUtcNow(), firstRunWithin);
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably(true));
            q.AddTrigger(t => t.ForJob(RetentionJob.Key).WithIdentity("retention", "maintenance").StartAt(time.GetUtcNow().AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()));
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
            o.AutoStart = autoStart;
        });
        return services;
    }

    private static void AddFeed(IQuartzBuilder q, FeedConfig feed, DateTimeOffset now, TimeSpan firstRunWithin)
    {
        // The first poll is spread over a short window so feeds do not all hit the network at once;
        // after it, the job plans each next poll itself (PollPlanner: posting rate, caching, backoff).
        var firstRun = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * firstRunWithin.TotalMilliseconds);
        var key = JobKeyFor(feed.Id);
        q.AddJob<FeedPollJob>(j => j.WithIdentity(key).UsingJobData(FeedPollJob.FeedIdKey, feed.Id).StoreDurably(true));
        q.AddTrigger(t => t.ForJob(key).WithIdentity(TriggerKeyFor(feed.Id)).StartAt(now.Add(firstRun))
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)));
    }

    /// <summary>The feed's next poll, once, at the given time.</summary>
    public static ITrigger OneShot(string feedId, DateTimeOffset at) =>
        TriggerBuilder.Create().WithIdentity(TriggerKeyFor(feedId)).ForJob(JobKeyFor(feedId)).StartAt(at)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
}
