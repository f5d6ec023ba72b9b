namespace Aggregator.Core.Pipeline;

/// <summary>What one pass over one feed did. <see cref="Failed"/> counts items that could not be stored.</summary>
public sealed record FeedRunSummary(string FeedId, string Status, int New, int Updated, int Duplicate, int Failed, string? Error)
{
    /// <summary>When the feed should be polled next (UTC); null when it is disabled.</summary>
    public DateTime? NextFetch { get; init; }

    /// <summary>Items older than retention, skipped without being stored.</summary>
    public int Old { get; init; }

    /// <summary>Items the filters blocked (now or on an earlier poll), never stored.</summary>
    public int Blocked { get; init; }

    public bool Succeeded => Error is null;

    public override string ToString() =>
        $"{FeedId}: {Status}, {New} new, {Updated} updated, {Duplicate} duplicate, {Failed} failed{(Blocked > 0 ? $", {Blocked} blocked" : "")}{(Old > 0 ? $", {Old} older than retention (skipped)" : "")}{(Error is null ? "" : $" ({Error})")}";
}
