using Aggregator.Core.Configuration;
using Quartz;

namespace Aggregator.Scheduling;

/// <summary>What a reload did, or why it was refused.</summary>
public sealed record ReloadResult(bool Applied, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Rescheduled,
    IReadOnlyList<ConfigError> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Applies an edited <c>feeds.json</c> to the running service: the new file is validated first
/// (an invalid edit is refused, its errors logged, and the running configuration kept); then the
/// configuration is swapped and the scheduler follows: removed feeds' jobs are deleted, added
/// feeds are polled within seconds, feeds whose URL or interval changed are re-planned now
/// (<see cref="FeedReconciler"/>, as at start).
/// Storage and HTTP settings need a restart (a warning says so).
/// </summary>
public sealed class ConfigReloader(string path, LiveConfig live, ISchedulerFactory schedulers, Core.Storage.IStoryStore store, TimeProvider time, ILogger<ConfigReloader> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path => path;

    public async Task<ReloadResult> ReloadAsync(CancellationToken cancel = default)
    {
        await _gate.WaitAsync(cancel);
        try
        {
            AggregatorConfig next;
            try
            {
                next = ConfigLoader.Load(path);
            }
            catch (ConfigException e)
            {
                logger.LogError("Config {Path}: reload refused, the running configuration is kept:\n{Errors}", path, string.Join("\n", e.Errors.Select(x => $"  {x}")));
                return new ReloadResult(false, [], [], [], e.Errors, []);
            }
            var current = live.Current;
            var warnings = new List<string>();
            if (next.Storage != current.Storage) warnings.Add("storage changed: takes effect after a restart");
            if (next.Schedule.CheckinInterval != current.Schedule.CheckinInterval) warnings.Add("schedule.checkinInterval changed: takes effect after a restart");
            if (next.Http != current.Http) warnings.Add("http settings changed: take effect after a restart");
            var before = current.Feeds.ToDictionary(f => f.Id);
            var after = next.Feeds.ToDictionary(f => f.Id);
            var added = after.Keys.Except(before.Keys).ToList();
            var removed = before.Keys.Except(after.Keys).ToList();
            var rescheduled = after.Keys.Intersect(before.Keys)
                .Where(id => after[id].Url != before[id].Url || next.IntervalOf(after[id]) != current.IntervalOf(before[id])).ToList();

            live.Replace(next);
            // The scheduler follows the same reconciliation as at start (on a cluster, another node may have applied it already).
            var scheduler = await schedulers.GetScheduler(cancel);
            await FeedReconciler.ReconcileAsync(scheduler, next, store, time, TimeSpan.FromSeconds(2), cancel);
            foreach (var warning in warnings) logger.LogWarning("Config {Path}: {Warning}", path, warning);
            logger.LogInformation("Config {Path} reloaded: {Count} feeds; added {Added}; removed {Removed}; re-planned {Rescheduled}",
                path, next.Feeds.Count, List(added), List(removed), List(rescheduled));
            return new ReloadResult(true, added, removed, rescheduled, [], warnings);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);
}
