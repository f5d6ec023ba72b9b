using Aggregator.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aggregator.Tests.Hosting;

public class IdleTrimTests
{
    private const long MiB = 1 << 20;
    private readonly IdleTrimPolicy _policy = new();

    [Fact]
    public void A_quiet_process_with_spare_committed_heap_is_trimmed()
    {
        Assert.True(_policy.ShouldTrim(new(100 * MiB, 10 * MiB, 24 * MiB), new(100 * MiB + 4096, 10 * MiB, 24 * MiB)));
    }

    [Fact]
    public void A_busy_process_is_left_alone_however_much_it_holds()
    {
        Assert.False(_policy.ShouldTrim(new(100 * MiB, 10 * MiB, 40 * MiB), new(120 * MiB, 10 * MiB, 40 * MiB)));
    }

    [Fact]
    public void Nothing_to_give_back_means_no_collection()
    {
        Assert.False(_policy.ShouldTrim(new(100 * MiB, 10 * MiB, 13 * MiB), new(100 * MiB, 10 * MiB, 13 * MiB)));
    }

    [Fact]
    public async Task The_service_trims_once_after_a_burst_and_not_again_while_idle()
    {
        var time = new FakeTimeProvider();
        // A burst, then quiet with slack, then (after the trim) quiet without slack.
        var snapshots = new Queue<HeapSnapshot>([
            new(0, 5 * MiB, 8 * MiB),
            new(300 * MiB, 12 * MiB, 30 * MiB), // the burst: busy
            new(300 * MiB, 12 * MiB, 30 * MiB), // quiet, 18 MiB spare: trim
            new(300 * MiB, 10 * MiB, 10 * MiB), // probed again after the trim
            new(300 * MiB, 10 * MiB, 10 * MiB), // quiet, nothing spare
        ]);
        var trims = 0;
        var probes = 0;
        var service = new IdleTrim(time, NullLogger<IdleTrim>.Instance)
        {
            Probe = () => { probes++; return snapshots.Count > 1 ? snapshots.Dequeue() : snapshots.Peek(); },
            Trim = () => trims++,
        };
        await service.StartAsync(CancellationToken.None);
        for (var tick = 0; tick < 4; tick++)
        {
            var before = probes;
            time.Advance(IdleTrim.Period);
            await WaitUntil(() => probes > before);
        }
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(1, trims);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
