namespace Aggregator.Core.Configuration;

/// <summary>
/// The configuration in force. <c>serve</c> replaces it when <c>feeds.json</c> changes (after
/// validating the new file); readers take <see cref="Current"/> each time, so a reload applies to
/// the next poll and the next request. <see cref="Generation"/> counts replacements.
/// </summary>
public sealed class LiveConfig(AggregatorConfig initial)
{
    private AggregatorConfig _current = initial;
    private long _generation;

    public AggregatorConfig Current => Volatile.Read(ref _current);

    public long Generation => Interlocked.Read(ref _generation);

    public void Replace(AggregatorConfig next)
    {
        Volatile.Write(ref _current, next);
        Interlocked.Increment(ref _generation);
    }
}
