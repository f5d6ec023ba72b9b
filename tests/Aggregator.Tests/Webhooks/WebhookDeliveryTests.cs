using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Tests.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Webhooks;

/// <summary>Webhooks end to end over loopback: the real host delivers the store's outbox to a real receiver.</summary>
public sealed class WebhookDeliveryTests : IDisposable
{
    private const string Secret = "receiver-shared-secret-0123";
    private static readonly DateTime Now = StoreContractTests.Now;
    private readonly TempDirectory _dir = new();

    private (AggregatorConfig Config, StoryStore Store) Setup(params WebhookConfig[] hooks)
    {
        var config = TestConfigs.For(_dir.File("hooks.db")) with { Webhooks = hooks };
        return (config, StoryStore.Open(config.Storage.Path, TimeProvider.System));
    }

    private static WebhookConfig Hook(string id, Uri url, params string[] events) => new(id, url, events.Length == 0 ? OutboxEventTypes.All : events, Secret);

    [Fact]
    public async Task EveryEventArrivesSignedInOrder_AndAHookGetsOnlyTheTypesItAskedFor()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, "/all", "/updates");
        var (config, store) = Setup(Hook("all", receiver.Url("/all")), Hook("updates", receiver.Url("/updates"), OutboxEventTypes.StoryUpdated));
        using var _ = store;
        await using var api = await ApiHost.StartAsync(config, store);

        var (id, _) = await store.AddOrAttachAsync(StoreContractTests.Story("00000000000000a1", Now, "wire"), [StoreContractTests.Key("a")], Now);
        await store.AttachSourceAsync(id, new StorySource { FeedId = "courier", Title = "Courier", Url = "https://courier.example/1", FirstSeen = Now }, [StoreContractTests.Key("c")], Now);
        await store.UpdateStoryAsync(id, s => { s.Title = "Talks resume"; return true; });
        await WebhookReceiver.Until(() => receiver.At("/all").Count >= 3 && receiver.At("/updates").Count >= 1, "three deliveries");

        var all = receiver.At("/all");
        Assert.All(receiver.Received, d => Assert.True(d.SignatureValid, $"bad signature on event {d.EventId}"));
        Assert.Equal(["story.created", "source.added", "story.updated"], all.Select(d => d.Type));
        Assert.Equal(all.Select(d => d.EventId).Order(), all.Select(d => d.EventId));
        foreach (var d in all)
        {
            Assert.Equal(d.EventId, d.Body.GetProperty("id").GetInt64());
            Assert.Equal(d.Type, d.Body.GetProperty("type").GetString());
            Assert.Equal(id, d.Body.GetProperty("story").GetProperty("id").GetString());
            Assert.EndsWith("Z", d.Body.GetProperty("occurredAt").GetString());
        }
        Assert.Equal("Talks resume", all[2].Body.GetProperty("story").GetProperty("title").GetString());
        Assert.Equal("courier", all[1].Body.GetProperty("source").GetProperty("feedId").GetString());
        Assert.Equal(JsonValueKind.Null, all[0].Body.GetProperty("source").ValueKind);
        Assert.Equal(2, all[2].Body.GetProperty("story").GetProperty("sources").GetArrayLength());
        Assert.Equal("story.updated", Assert.Single(receiver.At("/updates")).Type);

        // Delivery status for operators: both hooks caught up (the second skipped what it did not ask for).
        await WebhookReceiver.Until(() => Status(api, "updates").GetProperty("lastDeliveredId").GetInt64() == store.LatestEventId, "the skipping hook's cursor");
        var status = Status(api, "all");
        Assert.Equal(store.LatestEventId, status.GetProperty("lastDeliveredId").GetInt64());
        Assert.Equal(200, status.GetProperty("lastStatus").GetInt32());
        Assert.Equal(0, status.GetProperty("failures").GetInt32());
        Assert.Equal(receiver.Url("/all").ToString(), status.GetProperty("url").GetString());
        Assert.DoesNotContain(Secret, await api.Client.GetStringAsync("/api/webhooks"));
    }

    [Fact]
    public async Task A500IsRetriedWithTheSameSignedBodyAndThenDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, "/hook");
        receiver.Script.Enqueue(500);
        var (config, store) = Setup(Hook("app", receiver.Url("/hook")));
        using var _ = store;
        await using var api = await ApiHost.StartAsync(config, store);

        await store.AddOrAttachAsync(StoreContractTests.Story("00000000000000b1", Now), [StoreContractTests.Key("b")], Now);
        await WebhookReceiver.Until(() => receiver.Received.Count >= 2, "the retry");
        var (first, second) = (receiver.Received.ElementAt(0), receiver.Received.ElementAt(1));
        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal(first.Raw, second.Raw);
        Assert.True(first.SignatureValid && second.SignatureValid);
        await WebhookReceiver.Until(() => Status(api, "app").GetProperty("lastStatus").GetInt32() == 200, "the delivery recorded");
        var status = Status(api, "app");
        Assert.Equal(first.EventId, status.GetProperty("lastDeliveredId").GetInt64());
        Assert.Equal(0, status.GetProperty("failures").GetInt32());
        await Task.Delay(600);
        Assert.Equal(2, receiver.Received.Count); // delivered once it succeeded: no more attempts
    }

    [Fact]
    public async Task ATargetOnAPrivateAddressIsRefusedWithoutTheAllowSwitch()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, "/hook");
        var local = new Uri($"http://localhost:{receiver.Url("/").Port}/hook"); // a name: checked when connecting, as feeds are
        var (config, store) = Setup(Hook("app", local));
        config = config with { Http = config.Http with { AllowLoopback = false } };
        using var _ = store;
        await using var api = await ApiHost.StartAsync(config, store);

        await store.AddOrAttachAsync(StoreContractTests.Story("00000000000000c1", Now), [StoreContractTests.Key("c")], Now);
        await WebhookReceiver.Until(() => Status(api, "app").GetProperty("failures").GetInt32() >= 1, "the refused attempt");
        var status = Status(api, "app");
        Assert.Contains("private or reserved address", status.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("lastStatus").ValueKind);
        Assert.True(status.GetProperty("nextAttempt").GetDateTime() > DateTime.UtcNow.AddSeconds(1), "backs off");
        Assert.Equal(0, status.GetProperty("lastDeliveredId").GetInt64());
        Assert.Empty(receiver.Received);
    }

    private static JsonElement Status(ApiHost api, string hookId) =>
        api.Client.GetFromJsonAsync<JsonElement>("/api/webhooks").GetAwaiter().GetResult().EnumerateArray().Single(h => h.GetProperty("id").GetString() == hookId);

    public void Dispose() => _dir.Dispose();
}
