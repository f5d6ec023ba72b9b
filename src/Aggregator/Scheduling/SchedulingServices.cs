using Aggregator.Core.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>
/// Quartz: one durable job and one repeating trigger per feed; each poll moves it to the planner's time.
/// On LiteDB the scheduler is in memory; on PostgreSQL it is Quartz's clustered job store in the same
/// database, shared by every node, so any node may poll any feed and none polls one twice.
/// </summary>
public static class SchedulingServices
{
    public const string Group = "feeds";

    public static JobKey JobKeyFor(string feedId) => new(feedId, Group);

    public static TriggerKey TriggerKeyFor(string feedId) => new(feedId, Group);

    /// <param name="firstRunWithin">Feeds with no planned poll get their first one within this window after start.</param>
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
            if (config.Storage.IsPostgres) UseCluster(q, config);
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably(true));
            q.AddTrigger(t => t.ForJob(RetentionJob.Key).WithIdentity("retention", "maintenance").StartAt(time.GetUtcNow().AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()));
        });
        // Declared jobs already stored (the retention job, planned by the cluster's first node) are kept as they are.
        services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        services.AddSingleton(new FeedScheduleSync.Options(firstRunWithin));
        services.AddHostedService<FeedScheduleSync>();
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
            o.AutoStart = autoStart;
        });
        return services;
    }

    /// <summary>
    /// Quartz's AdoJobStore on the cluster's database (its tables are our migration 3, created before
    /// the scheduler starts). The node id is the scheduler's instance id; one trigger acquired at a time,
    /// so an idle node never holds a feed another could poll; jobs request recovery, so a killed node's
    /// running polls run again on another node once it has missed its check-ins.
    /// </summary>
    private static void UseCluster(IQuartzBuilder q, AggregatorConfig config)
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(config.Storage.ConnectionString);
        connection.ApplicationName ??= $"aggregator/{config.Storage.NodeId}/scheduler";
        q.ConfigureScheduler(s =>
        {
            s.InstanceId = config.Storage.NodeId;
            s.MaxBatchSize = 1;
        });
        q.UsePersistentStore(s =>
        {
            s.UseClustering(c =>
            {
                c.CheckinInterval = config.Schedule.CheckinInterval;
                c.CheckinMisfireThreshold = CheckinGrace(config.Schedule.CheckinInterval);
            });
            s.UsePostgres(Npgsql.NpgsqlFactory.Instance, connection.ConnectionString);
            s.UseSystemTextJsonSerializer();
        });
    }

    /// <summary>
    /// How long past a missed check-in the others wait before taking a node for dead and recovering its
    /// running polls: twice the interval, at least 15 s. A live node taken for dead has its running polls
    /// run a second time elsewhere, so this must outlast a loaded machine's pauses; a dead node's feeds
    /// wait <c>checkinInterval</c> + this at most.
    /// </summary>
    public static TimeSpan CheckinGrace(TimeSpan checkin) => checkin * 2 > TimeSpan.FromSeconds(15) ? checkin * 2 : TimeSpan.FromSeconds(15);

    /// <summary>A feed's durable job; its description records what its plan depends on (<see cref="SchedulePlan.Signature"/>).</summary>
    public static IJobDetail JobFor(FeedConfig feed, AggregatorConfig config) =>
        JobBuilder.Create<FeedPollJob>().WithIdentity(JobKeyFor(feed.Id)).WithDescription(SchedulePlan.Signature(feed, config))
            .UsingJobData(FeedPollJob.FeedIdKey, feed.Id).StoreDurably().RequestRecovery().Build();

    /// <summary>
    /// The feed's next poll at <paramref name="at"/>, repeating every <paramref name="repeat"/> after it:
    /// the repetition is a backstop only (a run that ends without replanning, a node stopped mid-run);
    /// every run moves the trigger to the planner's time.
    /// </summary>
    public static ITrigger Planned(string feedId, DateTimeOffset at, TimeSpan repeat) =>
        TriggerBuilder.Create().WithIdentity(TriggerKeyFor(feedId)).ForJob(JobKeyFor(feedId)).StartAt(at)
            .WithSimpleSchedule(s => s.WithInterval(repeat).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)).Build();

    /// <summary>
    /// The backstop repetition: the planned delay, at least the configured interval and one minute, in
    /// whole seconds (a persistent job store keeps whole milliseconds and refuses anything finer).
    /// </summary>
    public static TimeSpan Backstop(TimeSpan planned, TimeSpan configured)
    {
        var repeat = planned > configured ? planned : configured;
        if (repeat < TimeSpan.FromMinutes(1)) return TimeSpan.FromMinutes(1);
        return TimeSpan.FromSeconds(Math.Ceiling(repeat.TotalSeconds));
    }
}
