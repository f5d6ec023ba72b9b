using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 with scriptable routes; records every request it receives.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new();

    public ConcurrentQueue<(string Path, IHeaderDictionary Headers)> Requests { get; } = new();

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseUrl => new(_app.Urls.First());

    public Uri Url(string path) => new(BaseUrl, path);

    public static async Task<LoopbackServer> StartAsync(string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async context =>
        {
            server.Requests.Enqueue((context.Request.Path + context.Request.QueryString, new HeaderDictionary(context.Request.Headers.ToDictionary())));
            if (server._routes.TryGetValue(context.Request.Path, out var handler)) await handler(context);
            else context.Response.StatusCode = 404;
        });
        await app.StartAsync();
        return server;
    }

    public void Map(string path, RequestDelegate handler) => _routes[path] = handler;

    /// <summary>Serves fixed text; <c>{base}</c> in it becomes this server's address.</summary>
    public void MapText(string path, string body, string contentType = "text/html; charset=utf-8", int status = 200) =>
        Map(path, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body.Replace("{base}", BaseUrl.ToString().TrimEnd('/')));
        });

    public void MapBytes(string path, byte[] body, string contentType) =>
        Map(path, async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        });

    public int CountRequests(string path) => Requests.Count(r => r.Path.StartsWith(path, StringComparison.Ordinal));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
