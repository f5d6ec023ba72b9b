namespace Aggregator.Hosting;

/// <summary>What the GC holds: the live heap after its last collection and the memory it keeps committed for it.</summary>
public readonly record struct HeapSnapshot(long AllocatedBytes, long HeapBytes, long CommittedBytes)
{
    public static HeapSnapshot Current()
    {
        var info = GC.GetGCMemoryInfo();
        return new HeapSnapshot(GC.GetTotalAllocatedBytes(), info.HeapSizeBytes, info.TotalCommittedBytes);
    }
}

/// <summary>
/// When a quiet process should give its spare heap back: it allocated next to nothing since the last look (no poll
/// is running, serving comes from the output cache) and the GC keeps at least <see cref="SlackBytes"/> committed
/// beyond the live heap (what a poll's parsing and extraction left behind).
/// </summary>
public sealed record IdleTrimPolicy(long QuietBytes = 4 << 20, long SlackBytes = 4 << 20)
{
    public bool ShouldTrim(HeapSnapshot previous, HeapSnapshot now) =>
        now.AllocatedBytes - previous.AllocatedBytes <= QuietBytes && now.CommittedBytes - now.HeapBytes >= SlackBytes;
}

/// <summary>
/// Idle footprint: a poll's burst (feed parsing, page extraction) grows the GC's committed memory to about twice
/// the live heap, and a workstation GC keeps it while nothing allocates. Once the process is quiet, one aggressive
/// blocking collection decommits it (about 13 MiB of resident memory after the demo's polls, ~10 ms on a 10 MiB heap;
/// see the footprint figures in the README). A busy process is never interrupted.
/// </summary>
public sealed class IdleTrim(TimeProvider time, ILogger<IdleTrim> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    internal IdleTrimPolicy Policy { get; init; } = new();
    internal Func<HeapSnapshot> Probe { get; init; } = HeapSnapshot.Current;
    internal Action Trim { get; init; } = static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        var previous = Probe();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Probe();
                if (Policy.ShouldTrim(previous, now))
                {
                    Trim();
                    logger.LogDebug("Idle: gave back {Slack:N0} KiB of spare heap", (now.CommittedBytes - now.HeapBytes) >> 10);
                    now = Probe();
                }
                previous = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
