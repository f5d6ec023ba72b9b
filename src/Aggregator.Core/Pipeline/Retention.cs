using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;

namespace Aggregator.Core.Pipeline;

/// <summary>What one retention sweep removed.</summary>
public sealed record RetentionResult(int StoriesDeleted, int TombstonesPurged);

/// <summary>
/// Deletes stories older than <c>retention.days</c> (counted back from the newest story, or from now if
/// that is earlier: see <see cref="Reference"/>) or beyond the newest <c>retention.maxStories</c>
/// (their fingerprints and split entries go with them; their keys stay as tombstones so the items do
/// not return), and forgets tombstones after <c>retention.tombstoneDays</c>, by when feeds have long
/// dropped the items. Works in chunks so the writer never holds one long transaction.
/// </summary>
public static class Retention
{
    private const int Chunk = 500;

    /// <summary>
    /// The time retention counts back from: the newest publication known (stored, or in the feed at
    /// hand), never later than now. On live news that is now; on an archived corpus it is the corpus's
    /// own date, so the same corpus keeps the same stories whatever date it carries.
    /// </summary>
    public static DateTime Reference(DateTime now, DateTime newestStored, DateTime? newestIncoming = null)
    {
        var newest = newestIncoming > newestStored ? newestIncoming.Value : newestStored;
        return newest == DateTime.MinValue || newest > now ? now : newest;
    }

    /// <summary>Items published before this are not stored at all: they would only be swept.</summary>
    public static DateTime Cutoff(RetentionOptions options, DateTime reference) => reference.AddDays(-options.Days);

    public static async Task<RetentionResult> SweepAsync(IStoryStore store, RetentionOptions options, DateTime now, CancellationToken cancel = default)
    {
        var deleted = 0;
        var cutoff = Cutoff(options, Reference(now, store.NewestPublished));
        while (!cancel.IsCancellationRequested)
        {
            var expired = store.FindExpired(cutoff, options.MaxStories, Chunk);
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
