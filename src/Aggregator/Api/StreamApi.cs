using System.Text;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Webhooks;

namespace Aggregator.Api;

/// <summary>
/// <c>GET /api/stream</c>: the outbox as Server-Sent Events (<c>id:</c> the event id, <c>event:</c> its
/// type, <c>data:</c> the webhook payload). <c>Last-Event-ID</c> (sent by EventSource when it
/// reconnects) or <c>?lastEventId=</c> resumes after that id; without either the stream starts with
/// the next event. Idle streams get a comment every <c>events.heartbeat</c>; at most
/// <c>events.maxStreams</c> are open at once (503 beyond).
/// </summary>
internal static class StreamApi
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private const int Batch = 100;

    public const string Sample = """
        id: 42
        event: story.created
        data: {"id":42,"type":"story.created","occurredAt":"2026-03-02T11:00:03Z","story":{"id":"5f0c1d2e3a4b5c6d","title":"Ceasefire talks resume","url":"https://example.org/world/ceasefire","category":"World","published":"2026-03-02T10:58:00Z","updated":"2026-03-02T11:00:03Z","summary":"Delegations met again…","byline":"A. Reporter","imageUrl":null,"language":"en","text":"Delegations met again on Monday…","html":"<p>Delegations met again on Monday…</p>","sources":[{"feedId":"gulfwire-world","title":"Gulf Wire — World","url":"https://example.org/world/ceasefire","published":"2026-03-02T10:58:00Z","firstSeen":"2026-03-02T11:00:03Z","matchedBy":"new"}],"extractedBy":"rules"},"source":null}

        """;

    public static void Map(WebApplication app) =>
        app.MapGet("/api/stream", StreamAsync)
            .WithSummary("Story events as Server-Sent Events; Last-Event-ID (or ?lastEventId=) resumes from the outbox.")
            .WithDescription("Each event: `id:` the event id, `event:` story.created, story.updated or source.added, `data:` the same JSON a webhook receives. " +
                "Comments (`: heartbeat`) keep idle connections open. 503 when events.maxStreams streams are open. Example:\n\n```\n" + Sample + "```")
            .Produces<EventPayloadDto>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> StreamAsync(HttpContext context, IStoryStore store, AggregatorConfig config, StreamGate gate, EventPayloads payloads,
        TimeProvider time, IHostApplicationLifetime lifetime, ILoggerFactory logs)
    {
        long? resume;
        try
        {
            resume = ResumePoint(context.Request);
        }
        catch (BadParameterException e)
        {
            return e.ToProblem();
        }
        if (!gate.TryEnter(config.Events.MaxStreams))
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem($"at most {config.Events.MaxStreams} streams may be open at once (events.maxStreams); retry later",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many streams");
        }
        try
        {
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through as they come
            if (HeadRequests.IsHead(context)) return Results.Empty;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            await RunAsync(context.Response, store, payloads, time, config.Events.Heartbeat, resume ?? store.LatestEventId, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the service is stopping: the client resumes with Last-Event-ID.
        }
        catch (Exception e) when (context.Response.HasStarted)
        {
            // The store cannot be read now, or the connection broke: the stream ends, and the client's
            // reconnect (EventSource does it by itself) resumes it from its Last-Event-ID.
            logs.CreateLogger("Aggregator.Api.Stream").LogInformation("Stream: ended early ({Error})", e.Message);
        }
        finally
        {
            gate.Exit();
        }
        return Results.Empty;
    }

    private static async Task RunAsync(HttpResponse response, IStoryStore store, EventPayloads payloads, TimeProvider time, TimeSpan heartbeat, long cursor,
        CancellationToken cancel)
    {
        await Write(response, ": aggregator event stream\nretry: 3000\n\n", cancel);
        var lastWrite = time.GetTimestamp();
        while (true)
        {
            var events = store.ReadEvents(cursor, Batch);
            foreach (var e in events)
            {
                var data = Encoding.UTF8.GetString(payloads.Serialize(e));
                await response.WriteAsync($"id: {e.Id}\nevent: {e.Type}\ndata: {data}\n\n", cancel);
                cursor = e.Id;
            }
            if (events.Count > 0)
            {
                await response.Body.FlushAsync(cancel);
                lastWrite = time.GetTimestamp();
                if (events.Count == Batch) continue;
            }
            else if (time.GetElapsedTime(lastWrite) >= heartbeat)
            {
                await Write(response, ": heartbeat\n\n", cancel);
                lastWrite = time.GetTimestamp();
            }
            await Task.Delay(Poll, time, cancel);
        }
    }

    private static async Task Write(HttpResponse response, string text, CancellationToken cancel)
    {
        await response.WriteAsync(text, cancel);
        await response.Body.FlushAsync(cancel);
    }

    /// <summary>The id to resume after: the Last-Event-ID header (a reconnecting EventSource sends the newest), else ?lastEventId=.</summary>
    private static long? ResumePoint(HttpRequest request)
    {
        foreach (var key in request.Query.Keys)
            if (key != "lastEventId") throw new BadParameterException(key, "unknown parameter (allowed: lastEventId)");
        var header = request.Headers["Last-Event-ID"].FirstOrDefault();
        var (name, value) = header is not null ? ("Last-Event-ID", header) : ("lastEventId", request.Query["lastEventId"].FirstOrDefault());
        if (value is null) return null;
        return long.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BadParameterException(name, $"\"{value}\" is not an event id (a non-negative integer)");
    }
}

/// <summary>Counts open streams, so a crowd of clients cannot hold every connection and thread.</summary>
public sealed class StreamGate
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public bool TryEnter(int max)
    {
        if (Interlocked.Increment(ref _open) <= max) return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _open);
}
