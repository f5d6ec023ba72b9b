using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Parsing;
using Aggregator.Core.Scheduling;
using Aggregator.Core.Storage;

namespace Aggregator.Core.Pipeline;

/// <summary>Records how a poll went on the feed's state and plans the next one.</summary>
internal sealed class FeedHealth(IStoryStore store, LiveConfig config, TimeProvider time)
{
    private static readonly Random Jitter = Random.Shared;
    /// <summary>The error class of a poll whose results the store could not write.</summary>
    public const string StorageError = "storage";

    public async Task<FeedRunSummary> SucceededAsync(FeedConfig feed, FeedStateRecord state, FetchResponse response, ParsedFeed? parsed, string status, ItemCounts counts)
    {
        // RFC 9111 §4.3.4: a 304 may carry fresher validators; keep whatever the server sent last.
        state.ETag = response.ETag ?? state.ETag;
        state.LastModified = response.LastModified ?? state.LastModified;
        if (response.MovedPermanentlyTo is { } moved) state.MovedTo = moved.ToString();
        state.Status = status;
        state.LastSucceeded = Now.UtcDateTime;
        state.ConsecutiveFailures = 0;
        state.Error = state.ErrorClass = null;
        var times = parsed?.Items.Select(i => i.Published).OfType<DateTimeOffset>().ToList() ?? [];
        var configured = config.Current.IntervalOf(feed);
        // On 304 there are no items to measure: keep the interval the posting rate gave last time.
        if (parsed is null && state.IntervalSeconds > configured.TotalSeconds) configured = TimeSpan.FromSeconds(state.IntervalSeconds);
        Plan(state, new PollFacts(configured, true, false, 0, response.FreshUntil, response.RetryAfter, parsed?.UpdateHint, times, feed.Interval is not null));
        await store.SaveFeedStateAsync(state).ConfigureAwait(false);
        return new FeedRunSummary(state.Id, status, counts.New, counts.Updated, counts.Duplicate, counts.Failed, null) { NextFetch = state.NextFetch, Old = counts.Old, Blocked = counts.Blocked };
    }

    /// <summary>
    /// A failed poll. A storage fault is not the feed's: it does not count towards the feed's backoff,
    /// and the next poll comes at the configured interval. If the state cannot be saved either, the
    /// store keeps it in memory (see <see cref="IStoryStore.SaveFeedStateAsync"/>) so operators see why.
    /// </summary>
    public async Task<FeedRunSummary> FailedAsync(FeedConfig feed, FeedStateRecord state, string errorClass, string message, DateTimeOffset? retryAfter, ItemCounts? counts = null)
    {
        var gone = errorClass == FetchError.Gone;
        var storage = errorClass == StorageError;
        state.Status = gone ? FeedStatus.Disabled : FeedStatus.Failing;
        if (!storage) state.ConsecutiveFailures++;
        state.Error = message;
        state.ErrorClass = errorClass;
        Plan(state, new PollFacts(config.Current.IntervalOf(feed), false, gone, storage ? 1 : state.ConsecutiveFailures, null, retryAfter, null, []));
        try
        {
            await store.SaveFeedStateAsync(state).ConfigureAwait(false);
        }
        catch (StorageFaultException) when (storage)
        {
            // Already reported: the state stays visible from memory until a save succeeds.
        }
        return new FeedRunSummary(feed.Id, state.Status, counts?.New ?? 0, counts?.Updated ?? 0, counts?.Duplicate ?? 0, counts?.Failed ?? 0, message) { NextFetch = state.NextFetch, Old = counts?.Old ?? 0, Blocked = counts?.Blocked ?? 0 };
    }

    private void Plan(FeedStateRecord state, PollFacts facts)
    {
        var plan = PollPlanner.Plan(facts, Now, Jitter);
        state.NextFetch = plan.Next?.UtcDateTime;
        state.PlanReason = plan.Reason;
        if (facts.Succeeded) state.IntervalSeconds = (int)plan.Interval.TotalSeconds;
    }

    private DateTimeOffset Now => time.GetUtcNow();
}
