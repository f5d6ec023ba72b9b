namespace Aggregator.Core.Scheduling;

/// <summary>What the last poll of a feed tells the planner.</summary>
public sealed record PollFacts(
    TimeSpan ConfiguredInterval,
    bool Succeeded,
    bool Gone,
    int ConsecutiveFailures,
    DateTimeOffset? FreshUntil,
    DateTimeOffset? RetryAfter,
    TimeSpan? PublisherHint,
    IReadOnlyList<DateTimeOffset> RecentItemTimes,
    bool OperatorInterval = false);

/// <summary>When to poll next, and why.</summary>
public sealed record PollPlan(DateTimeOffset? Next, TimeSpan Interval, string Reason);

/// <summary>
/// Decides the next poll of a feed like the best readers do: adaptive to the posting rate, never
/// earlier than the server's freshness or Retry-After, exponential backoff on errors, bounded to
/// 1 min … 24 h, with ±10% jitter so feeds do not synchronise. An interval the operator set for the
/// feed (<see cref="PollFacts.OperatorInterval"/>) is honoured as it is — only the feed's own hints
/// (ttl, Cache-Control, Retry-After) may make it slower; the posting rate adapts the others.
/// A feed that is Gone is not polled.
/// </summary>
public static class PollPlanner
{
    public static readonly TimeSpan Min = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    public static PollPlan Plan(PollFacts facts, DateTimeOffset now, Random random)
    {
        if (facts.Gone) return new PollPlan(null, TimeSpan.Zero, "gone: disabled until an operator refreshes it");
        var (interval, reason) = facts.Succeeded ? Adaptive(facts) : Backoff(facts);
        var next = now + Jitter(interval, random);
        if (facts.FreshUntil is { } fresh && fresh > next && facts.Succeeded)
            (next, reason) = (Cap(fresh, now), "fresh until (Cache-Control/Expires)");
        if (facts.RetryAfter is { } retry && retry > next)
            (next, reason) = (Cap(retry, now), "Retry-After");
        return new PollPlan(next, interval, reason);
    }

    /// <summary>Half the mean gap between recent items, never below the configured interval or the publisher's ttl.</summary>
    private static (TimeSpan, string) Adaptive(PollFacts facts)
    {
        var floor = Clamp(facts.ConfiguredInterval);
        var interval = floor;
        var reason = "configured interval";
        var times = facts.RecentItemTimes.Distinct().OrderDescending().Take(20).ToList();
        if (times.Count >= 3 && !facts.OperatorInterval)
        {
            var meanGap = (times[0] - times[^1]) / (times.Count - 1);
            if (meanGap / 2 > interval) (interval, reason) = (Clamp(meanGap / 2), "posting rate");
        }
        if (facts.PublisherHint is { } hint && hint > interval) (interval, reason) = (Clamp(hint), "publisher ttl/updatePeriod");
        return (interval, reason);
    }

    private static (TimeSpan, string) Backoff(PollFacts facts)
    {
        var exponent = Math.Min(Math.Max(facts.ConsecutiveFailures - 1, 0), 10);
        var interval = Clamp(TimeSpan.FromTicks(Clamp(facts.ConfiguredInterval).Ticks * (1L << exponent)));
        return (interval, $"error backoff (failure {facts.ConsecutiveFailures})");
    }

    private static TimeSpan Jitter(TimeSpan interval, Random random) =>
        interval * (0.9 + random.NextDouble() * 0.2);

    private static TimeSpan Clamp(TimeSpan span) => span < Min ? Min : span > Max ? Max : span;

    private static DateTimeOffset Cap(DateTimeOffset at, DateTimeOffset now) => at - now > Max ? now + Max : at;
}
