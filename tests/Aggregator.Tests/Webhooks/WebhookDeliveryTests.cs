using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Tests.Storage;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

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
        using var owned = store;
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
        using var owned = store;
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
        using var owned = store;
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

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheStreamTheStatusAndTheWebhookWithASampleThatMatchesTheRealPayload()
    {
        var (config, store) = Setup();
        using var owned = store;
        await using var api = await ApiHost.StartAsync(config, store);
        var doc = await api.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/stream", out var stream));
        Assert.Contains("text/event-stream", stream.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(p => p.Name));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/webhooks", out _));
        var hook = doc.GetProperty("webhooks").GetProperty("storyEvent").GetProperty("post");
        Assert.Contains("X-Aggregator-Signature", hook.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var sample = hook.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        // The documented sample has exactly the keys a real payload has, story and source included.
        var (id, _) = await store.AddOrAttachAsync(StoreContractTests.Story("00000000000000d1", Now, "wire"), [StoreContractTests.Key("d")], Now);
        await store.AttachSourceAsync(id, new StorySource { FeedId = "courier", Url = "https://courier.example/d", FirstSeen = Now }, [StoreContractTests.Key("e")], Now);
        var payloads = api.Services.GetRequiredService<Aggregator.Webhooks.EventPayloads>();
        var real = JsonDocument.Parse(payloads.Serialize(store.ReadEvents(0, 10).Single(e => e.Type == "source.added"))).RootElement;
        static List<string> Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(Keys(real), Keys(sample));
        Assert.Equal(Keys(real.GetProperty("story")), Keys(sample.GetProperty("story")));
        Assert.Equal(Keys(real.GetProperty("source")), Keys(sample.GetProperty("source")));
        Assert.Equal(Keys(real.GetProperty("story").GetProperty("sources")[0]), Keys(sample.GetProperty("story").GetProperty("sources")[0]));
    }

    [Fact]
    public async Task ALargeBodyLeavesTheHtmlOut()
    {
        var (config, store) = Setup();
        using var owned = store;
        await using var api = await ApiHost.StartAsync(config, store);
        var big = StoreContractTests.Story("00000000000000e1", Now);
        big.Html = "<p>" + new string('x', Aggregator.Webhooks.EventPayloads.MaxHtmlChars) + "</p>";
        await store.AddOrAttachAsync(big, [StoreContractTests.Key("big")], Now);
        var small = StoreContractTests.Story("00000000000000e2", Now);
        small.Html = "<p>short</p>";
        await store.AddOrAttachAsync(small, [StoreContractTests.Key("small")], Now);
        var payloads = api.Services.GetRequiredService<Aggregator.Webhooks.EventPayloads>();
        var events = store.ReadEvents(0, 10);
        Assert.Null(payloads.Build(events[0]).Story!.Html);
        Assert.Equal("body text", payloads.Build(events[0]).Story!.Text);
        Assert.Equal("<p>short</p>", payloads.Build(events[1]).Story!.Html);
    }

    private static JsonElement Status(ApiHost api, string hookId) =>
        api.Client.GetFromJsonAsync<JsonElement>("/api/webhooks").GetAwaiter().GetResult().EnumerateArray().Single(h => h.GetProperty("id").GetString() == hookId);

    public void Dispose() => _dir.Dispose();
}
