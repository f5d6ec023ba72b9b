using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Webhooks;

/// <summary>
/// A downstream app on loopback: it checks each delivery's signature itself (HMAC-SHA256 of the raw
/// body, as a receiver would, not with the aggregator's code) and answers the status it is told to.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Delivery(string Path, long EventId, string Type, bool SignatureValid, JsonElement Body, string Raw);

    private readonly LoopbackServer _server;
    private readonly string _secret;

    public ConcurrentQueue<Delivery> Received { get; } = new();

    /// <summary>Answers, request by request: the next status is taken from the queue, then <see cref="Status"/>.</summary>
    public ConcurrentQueue<int> Script { get; } = new();

    public volatile int Status = 200;

    private WebhookReceiver(LoopbackServer server, string secret)
    {
        _server = server;
        _secret = secret;
    }

    public Uri Url(string path) => _server.Url(path);

    public static async Task<WebhookReceiver> StartAsync(string secret, params string[] paths)
    {
        var receiver = new WebhookReceiver(await LoopbackServer.StartAsync(), secret);
        foreach (var path in paths) receiver._server.Map(path, receiver.HandleAsync);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), raw));
        var signature = context.Request.Headers["X-Aggregator-Signature"].ToString();
        Received.Enqueue(new Delivery(context.Request.Path, long.Parse(context.Request.Headers["X-Aggregator-Event-Id"].ToString()),
            context.Request.Headers["X-Aggregator-Event-Type"].ToString(), signature == expected,
            JsonDocument.Parse(raw).RootElement.Clone(), Encoding.UTF8.GetString(raw)));
        context.Response.StatusCode = Script.TryDequeue(out var scripted) ? scripted : Status;
    }

    public List<Delivery> At(string path) => Received.Where(d => d.Path == path).ToList();

    public static async Task Until(Func<bool> condition, string what, int seconds = 20)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"timed out after {seconds} s: {what}");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
