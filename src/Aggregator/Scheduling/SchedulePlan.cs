using Aggregator.Core.Configuration;

namespace Aggregator.Scheduling;

/// <summary>
/// What the scheduler must change so that its feed jobs match the configuration, given what is
/// stored (on a cluster: what every node has planned so far). A pure function: a planned feed is
/// left alone, so a node that joins or restarts never re-polls it.
/// </summary>
/// <param name="Remove">Jobs of feeds no longer configured.</param>
/// <param name="Store">Feeds whose job is missing or describes another URL or interval (stored, replacing).</param>
/// <param name="Replan">Feeds whose URL or interval changed: their next poll is planned anew, soon.</param>
/// <param name="Ensure">Feeds with no pending trigger: one is planned unless another node plans it first. A feed
/// disabled by its publisher (410 Gone) has none on purpose and gets none: it waits for an operator's refresh
/// (or a changed URL or interval), whichever node starts or reloads.</param>
public sealed record SchedulePlan(IReadOnlyList<string> Remove, IReadOnlyList<FeedConfig> Store, IReadOnlyList<FeedConfig> Replan, IReadOnlyList<FeedConfig> Ensure)
{
    /// <param name="jobs">Stored feed jobs: feed id → the job's description (<see cref="Signature"/> when we stored it).</param>
    /// <param name="planned">Feed ids whose trigger has a next fire time.</param>
    /// <param name="disabled">Feed ids whose stored state is disabled (410 Gone).</param>
    public static SchedulePlan Of(IReadOnlyDictionary<string, string?> jobs, IReadOnlySet<string> planned, IReadOnlySet<string> disabled, AggregatorConfig config)
    {
        var configured = config.Feeds.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var remove = jobs.Keys.Where(id => !configured.Contains(id)).Order(StringComparer.Ordinal).ToList();
        List<FeedConfig> store = [], replan = [], ensure = [];
        foreach (var feed in config.Feeds)
        {
            var signature = Signature(feed, config);
            if (!jobs.TryGetValue(feed.Id, out var stored))
            {
                store.Add(feed);
                if (!disabled.Contains(feed.Id)) ensure.Add(feed);
            }
            else if (stored != signature)
            {
                store.Add(feed);
                replan.Add(feed);
            }
            else if (!planned.Contains(feed.Id) && !disabled.Contains(feed.Id))
            {
                ensure.Add(feed);
            }
        }
        return new SchedulePlan(remove, store, replan, ensure);
    }

    /// <summary>What a feed's plan depends on, kept as its job's description: a change re-plans the feed.</summary>
    public static string Signature(FeedConfig feed, AggregatorConfig config) =>
        $"poll {feed.Url} every {config.IntervalOf(feed):c}";
}
