using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;
using static Aggregator.Tests.Storage.StoreContractTests;

namespace Aggregator.Tests.Webhooks;

/// <summary>
/// Two nodes on one PostgreSQL store, both running the real host with its delivery loop, and one
/// loopback receiver: each event must arrive once (one node delivers the hook), and when that node
/// stops the other takes the hook over and delivers what follows, again once.
/// </summary>
public sealed class WebhookClusterTests(TestPostgres server) : IClassFixture<TestPostgres>, IDisposable
{
    private const string Secret = "receiver-shared-secret-0123";
    private readonly TempDirectory _dir = new();

    [SkippableFact]
    public async Task TwoNodesPostEachEventOnce_AndTheOtherTakesTheHookOverWhenItsNodeStops()
    {
        var database = server.NewSchema();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, "/hook");
        var hookId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var config = TestConfigs.For(_dir.File("unused.db")) with { Webhooks = [new WebhookConfig(hookId, receiver.Url("/hook"), OutboxEventTypes.All, Secret)] };
        var stores = new[] { PostgresStoryStore.Open(database, TimeProvider.System), PostgresStoryStore.Open(database, TimeProvider.System) };
        var hosts = new[] { await ApiHost.StartAsync(config, stores[0]), await ApiHost.StartAsync(config, stores[1]) };
        var stopped = -1;
        try
        {
            for (var i = 0; i < 20; i++)
                await stores[i % 2].AddOrAttachAsync(Story($"{i + 1:x16}", Now.AddMinutes(i), $"f{i % 2}"), [Key($"k{i}")], Now);
            await AllDeliveredOnceAsync(receiver, stores[0], 20);

            // Stop the node that delivers (the other cannot claim the hook while it runs); the other carries on.
            var holder = stores[0].ClaimWebhook(hookId) ? 0 : 1;
            Assert.False(stores[1 - holder].ClaimWebhook(hookId), "one node holds the hook");
            await hosts[holder].DisposeAsync();
            stores[holder].Dispose();
            stopped = holder;
            var survivor = stores[1 - holder];
            for (var i = 20; i < 30; i++)
                await survivor.AddOrAttachAsync(Story($"{i + 1:x16}", Now.AddMinutes(i), "f"), [Key($"k{i}")], Now);
            await AllDeliveredOnceAsync(receiver, survivor, 30);
            Assert.All(receiver.Received, d => Assert.True(d.SignatureValid, $"bad signature on event {d.EventId}"));
        }
        finally
        {
            for (var n = 0; n < 2; n++)
            {
                if (n == stopped) continue;
                await hosts[n].DisposeAsync();
                stores[n].Dispose();
            }
        }
    }

    /// <summary>Waits for the first <paramref name="count"/> events to arrive and for both delivery loops to have had time to post any again; each must have come once, in order.</summary>
    private static async Task AllDeliveredOnceAsync(WebhookReceiver receiver, IStoryStore store, int count)
    {
        var events = await ReadableEvents(store, 0, count);
        Assert.Equal(count, events.Count);
        await WebhookReceiver.Until(() => receiver.Received.Count >= count, $"{count} deliveries");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // six delivery ticks of each node: a second node posting too would show
        Assert.Equal(events.Select(e => e.Id), receiver.Received.Select(d => d.EventId));
    }

    public void Dispose() => _dir.Dispose();
}
