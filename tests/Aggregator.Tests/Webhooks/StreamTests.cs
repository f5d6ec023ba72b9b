using System.Net;
using System.Text.Json;
using Aggregator.Api;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Tests.Storage;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests.Webhooks;

/// <summary><c>GET /api/stream</c> over loopback: Server-Sent Events from the outbox, resumed with Last-Event-ID.</summary>
public sealed class StreamTests : IDisposable
{
    private static readonly DateTime Now = StoreContractTests.Now;
    private readonly TempDirectory _dir = new();

    /// <summary>One SSE frame: id, event, data — or a comment.</summary>
    private sealed record Frame(long? Id, string? Event, string? Data, string? Comment);

    /// <summary>A client reading frames as they arrive.</summary>
    private sealed class SseClient : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private SseClient(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _reader = new StreamReader(body);
        }

        public static async Task<SseClient> OpenAsync(HttpClient http, string url, string? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new SseClient(response, await response.Content.ReadAsStreamAsync());
        }

        public async Task<Frame> NextAsync(bool comments = false, int seconds = 10)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            while (true)
            {
                var lines = new List<string>();
                while (await _reader.ReadLineAsync(timeout.Token) is { } line && line.Length > 0) lines.Add(line);
                if (lines.Count == 0) continue;
                var comment = lines.Where(l => l.StartsWith(':')).Select(l => l[1..].Trim()).FirstOrDefault();
                string? Field(string name) => lines.Where(l => l.StartsWith(name + ": ", StringComparison.Ordinal)).Select(l => l[(name.Length + 2)..]).FirstOrDefault();
                var frame = new Frame(Field("id") is { } id ? long.Parse(id) : null, Field("event"), Field("data"), comment);
                if (frame.Data is not null || (comments && comment is not null)) return frame;
            }
        }

        public async Task<List<Frame>> EventsAsync(int count)
        {
            var frames = new List<Frame>();
            while (frames.Count < count) frames.Add(await NextAsync());
            return frames;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _response.Dispose();
        }
    }

    private async Task<(ApiHost Api, StoryStore Store)> StartAsync(EventOptions? events = null)
    {
        var config = TestConfigs.For(_dir.File("stream.db")) with { Events = events ?? EventOptions.Default };
        var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        return (await ApiHost.StartAsync(config, store), store);
    }

    private static Task AddStory(IStoryStore store, int n) =>
        store.AddOrAttachAsync(StoreContractTests.Story($"{n:D16}", Now.AddMinutes(n)), [StoreContractTests.Key($"s{n}")], Now);

    [Fact]
    public async Task AClientThatReconnectsWithLastEventIdMissesNothingAndGetsNothingTwice()
    {
        var (api, store) = await StartAsync();
        using var __ = store;
        await using var _ = api;
        await AddStory(store, 0); // before the first connection: a stream without Last-Event-ID starts after it

        List<Frame> seen;
        using (var first = await SseClient.OpenAsync(api.Client, "/api/stream"))
        {
            for (var n = 1; n <= 3; n++) await AddStory(store, n);
            seen = await first.EventsAsync(2);
        } // disconnect after two of three
        for (var n = 4; n <= 5; n++) await AddStory(store, n); // published while the client is away

        using var resumed = await SseClient.OpenAsync(api.Client, "/api/stream", lastEventId: seen[^1].Id.ToString());
        seen.AddRange(await resumed.EventsAsync(3));
        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"{n:D16}"), seen.Select(f => JsonDocument.Parse(f.Data!).RootElement.GetProperty("story").GetProperty("id").GetString()));
        Assert.Equal(seen.Select(f => f.Id).Distinct().Count(), seen.Count);
        Assert.All(seen, f =>
        {
            var data = JsonDocument.Parse(f.Data!).RootElement;
            Assert.Equal("story.created", f.Event);
            Assert.Equal(f.Id, data.GetProperty("id").GetInt64());
            Assert.Equal(f.Event, data.GetProperty("type").GetString());
        });

        // ?lastEventId= (for clients that cannot set the header) replays the outbox from the start.
        using var replay = await SseClient.OpenAsync(api.Client, "/api/stream?lastEventId=0");
        Assert.Equal(Enumerable.Range(0, 6).Select(n => $"{n:D16}"),
            (await replay.EventsAsync(6)).Select(f => JsonDocument.Parse(f.Data!).RootElement.GetProperty("story").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task StreamsAreBounded_IdleOnesGetHeartbeats_AndADisconnectFreesTheSlot()
    {
        var (api, store) = await StartAsync(new EventOptions(7, 1000, 1, TimeSpan.FromSeconds(1)));
        using var __ = store;
        await using var _ = api;
        var gate = api.Services.GetRequiredService<StreamGate>();

        using (var only = await SseClient.OpenAsync(api.Client, "/api/stream"))
        {
            var refused = await api.Client.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("aggregator event stream", (await only.NextAsync(comments: true)).Comment);
            Assert.Equal("heartbeat", (await only.NextAsync(comments: true, seconds: 5)).Comment); // idle for the 1 s heartbeat
        }
        await WebhookReceiver.Until(() => gate.Open == 0, "the disconnected stream's slot freed");

        using var head = new HttpRequestMessage(HttpMethod.Head, "/api/stream");
        var answer = await api.Client.SendAsync(head).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/event-stream", answer.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());

        using var again = await SseClient.OpenAsync(api.Client, "/api/stream");
        await AddStory(store, 1);
        Assert.Equal("story.created", (await again.NextAsync()).Event);
    }

    [Theory]
    [InlineData("/api/stream?lastEventId=abc", null, "lastEventId")]
    [InlineData("/api/stream?lastEventId=-1", null, "lastEventId")]
    [InlineData("/api/stream", "soon", "Last-Event-ID")]
    [InlineData("/api/stream?since=1", null, "since")]
    public async Task ABadResumePointIsA400NamingIt(string url, string? header, string parameter)
    {
        var (api, store) = await StartAsync();
        using var __ = store;
        await using var _ = api;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (header is not null) request.Headers.Add("Last-Event-ID", header);
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("parameter").GetString());
    }

    public void Dispose() => _dir.Dispose();
}
