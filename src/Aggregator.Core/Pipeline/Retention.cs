using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;

namespace Aggregator.Core.Pipeline;

/// <summary>What one retention sweep removed.</summary>
public sealed record RetentionResult(int StoriesDeleted, int TombstonesPurged);

/// <summary>
/// Deletes stories older than <c>retention.days</c> or beyond the newest <c>retention.maxStories</c>
/// (their fingerprints and split entries go with them; their keys stay as tombstones so the items do
/// not return), and forgets tombstones after <c>retention.tombstoneDays</c>, by when feeds have long
/// dropped the items. Works in chunks so the writer never holds one long transaction.
/// </summary>
public static class Retention
{
    private const int Chunk = 500;

    public static async Task<RetentionResult> SweepAsync(StoryStore store, RetentionOptions options, DateTime now, CancellationToken cancel = default)
    {
        var deleted = 0;
        while (!cancel.IsCancellationRequested)
        {
            var expired = store.FindExpired(now.AddDays(-options.Days), options.MaxStories, Chunk);
            if (expired.Count == 0) break;
            var removed = await store.DeleteStoriesAsync(expired, now).ConfigureAwait(false);
            deleted += removed;
            if (removed == 0) break;
        }
        var purged = 0;
        while (!cancel.IsCancellationRequested)
        {
            var n = await store.PurgeTombstonesAsync(now.AddDays(-options.TombstoneDays)).ConfigureAwait(false);
            purged += n;
            if (n == 0) break;
        }
        if (deleted + purged > 0) await store.CheckpointAsync().ConfigureAwait(false);
        return new RetentionResult(deleted, purged);
    }
}
