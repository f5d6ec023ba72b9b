using Aggregator.Core.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>Quartz: one durable job and one repeating trigger per feed; each poll moves it to the planner's time.</summary>
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
            foreach (var feed in config.Feeds) AddFeed(q, feed, config.IntervalOf(feed), time.GetUtcNow(), firstRunWithin);
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

    private static void AddFeed(IQuartzBuilder q, FeedConfig feed, TimeSpan interval, DateTimeOffset now, TimeSpan firstRunWithin)
    {
        // The first poll is spread over a short window so feeds do not all hit the network at once;
        // after it, the job plans each next poll itself (PollPlanner: posting rate, caching, backoff).
        var firstRun = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * firstRunWithin.TotalMilliseconds);
        var key = JobKeyFor(feed.Id);
        q.AddJob<FeedPollJob>(j => j.WithIdentity(key).UsingJobData(FeedPollJob.FeedIdKey, feed.Id).StoreDurably(true));
        var repeat = Backstop(TimeSpan.Zero, interval);
        q.AddTrigger(t => t.ForJob(key).WithIdentity(TriggerKeyFor(feed.Id)).StartAt(now.Add(firstRun))
            .WithSimpleSchedule(s => s.WithInterval(repeat).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)));
    }

    /// <summary>
    /// The feed's next poll at <paramref name="at"/>, repeating every <paramref name="repeat"/> after it:
    /// the repetition is a backstop only (a run that ends without replanning, a node stopped mid-run);
    /// every run moves the trigger to the planner's time.
    /// </summary>
    public static ITrigger Planned(string feedId, DateTimeOffset at, TimeSpan repeat) =>
        TriggerBuilder.Create().WithIdentity(TriggerKeyFor(feedId)).ForJob(JobKeyFor(feedId)).StartAt(at)
            .WithSimpleSchedule(s => s.WithInterval(repeat).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)).Build();

    /// <summary>The backstop repetition: the planned delay, at least the configured interval and one minute.</summary>
    public static TimeSpan Backstop(TimeSpan planned, TimeSpan configured)
    {
        var repeat = planned > configured ? planned : configured;
        return repeat < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : repeat;
    }
}
