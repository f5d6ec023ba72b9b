using System.IO.Compression;
using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Fetching;

public class HttpFetcherTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private static readonly HttpOptions Loopback = HttpOptions.Default with { AllowLoopback = true, Timeout = TimeSpan.FromSeconds(5), MaxResponseBytes = 64 * 1024 };

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<FetchResponse> Fetch(Uri url, HttpOptions? options = null, string? etag = null, string? lastModified = null)
    {
        var (owner, fetcher) = Pipelines.FetcherOnly(options ?? Loopback);
        using (owner) return await fetcher.FetchAsync(new FetchRequest(url, etag, lastModified), CancellationToken.None);
    }

    [Fact]
    public async Task ConditionalGetSendsValidatorsBackExactlyAndHandles304()
    {
        const string etag = "W/\"abc-123\"";
        const string modified = "Wed, 22 Mar 2023 08:00:00 GMT";
        _server.Map("/feed", async context =>
        {
            if (context.Request.Headers.IfNoneMatch == etag && context.Request.Headers.IfModifiedSince == modified)
            {
                context.Response.StatusCode = 304;
                return;
            }
            context.Response.Headers.ETag = etag;
            context.Response.Headers.LastModified = modified;
            await context.Response.WriteAsync("<rss/>");
        });
        var first = await Fetch(_server.Url("/feed"));
        Assert.Equal(FetchOutcome.Ok, first.Outcome);
        Assert.Equal(etag, first.ETag);
        Assert.Equal(modified, first.LastModified);

        var second = await Fetch(_server.Url("/feed"), etag: first.ETag, lastModified: first.LastModified);
        Assert.Equal(FetchOutcome.NotModified, second.Outcome);
    }

    [Fact]
    public async Task LoopbackIsRefusedUnlessPrivateNetworksAreAllowed()
    {
        _server.MapText("/feed", "<rss/>");
        var refused = await Fetch(_server.Url("/feed"), Loopback with { AllowLoopback = false });
        Assert.Equal(FetchError.BlockedAddress, refused.Error?.Class);
        Assert.Equal(0, _server.CountRequests("/feed"));
        var byName = await Fetch(new Uri($"http://localhost:{_server.BaseUrl.Port}/feed"), Loopback with { AllowLoopback = false });
        Assert.Equal(FetchError.BlockedAddress, byName.Error?.Class);
        Assert.Equal(0, _server.CountRequests("/feed"));
    }

    [Fact]
    public async Task DeclaredBodyOverTheCapFailsAsTooLarge()
    {
        _server.MapText("/big", new string('x', 100 * 1024));
        var response = await Fetch(_server.Url("/big"));
        Assert.Equal(FetchError.TooLarge, response.Error?.Class);
    }

    [Fact]
    public async Task EndlessBodyWithoutLengthStopsAtTheCap()
    {
        _server.Map("/endless", async context =>
        {
            var chunk = new byte[8192];
            try
            {
                for (var i = 0; i < 10_000 && !context.RequestAborted.IsCancellationRequested; i++)
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
        });
        var response = await Fetch(_server.Url("/endless"));
        Assert.Equal(FetchError.TooLarge, response.Error?.Class);
    }

    [Fact]
    public async Task GzipBombIsCountedOnDecodedBytes()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(new byte[1024 * 1024]);
        Assert.True(compressed.Length < Loopback.MaxResponseBytes, "the compressed body must fit under the cap");
        var bytes = compressed.ToArray();
        _server.Map("/bomb", async context =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(bytes);
        });
        var response = await Fetch(_server.Url("/bomb"));
        Assert.Equal(FetchError.TooLarge, response.Error?.Class);
    }

    [Fact]
    public async Task FollowsUpToFiveRedirectsAndReportsTheFinalUrl()
    {
        for (var i = 0; i < 5; i++)
        {
            var next = i + 1;
            _server.Map($"/r{i}", context => { context.Response.Redirect($"/r{next}"); return Task.CompletedTask; });
        }
        _server.MapText("/r5", "done");
        var response = await Fetch(_server.Url("/r0"));
        Assert.Equal(FetchOutcome.Ok, response.Outcome);
        Assert.Equal("/r5", response.FinalUrl.AbsolutePath);
    }

    [Fact]
    public async Task RedirectLoopFailsQuickly()
    {
        _server.Map("/loop", context => { context.Response.Redirect("/loop"); return Task.CompletedTask; });
        var response = await Fetch(_server.Url("/loop"));
        Assert.Equal(FetchError.TooManyRedirects, response.Error?.Class);
        Assert.Equal(6, _server.CountRequests("/loop"));
    }

    [Fact]
    public async Task RedirectToANonHttpSchemeIsRefused()
    {
        _server.Map("/to-file", context => { context.Response.Redirect("file:///etc/passwd"); return Task.CompletedTask; });
        var response = await Fetch(_server.Url("/to-file"));
        Assert.Equal(FetchError.BadScheme, response.Error?.Class);
    }

    [Fact]
    public async Task SlowServerHitsTheTotalDeadline()
    {
        _server.Map("/slow", async context =>
        {
            await context.Response.WriteAsync("<rss>");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { });
        });
        var started = DateTime.UtcNow;
        var response = await Fetch(_server.Url("/slow"), Loopback with { Timeout = TimeSpan.FromSeconds(1) });
        Assert.Equal(FetchError.Timeout, response.Error?.Class);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(404, "http-4xx")]
    [InlineData(503, "http-5xx")]
    public async Task ErrorStatusesAreClassified(int status, string errorClass)
    {
        _server.MapText("/status", "nope", status: status);
        var response = await Fetch(_server.Url("/status"));
        Assert.Equal(errorClass, response.Error?.Class);
        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task SendsTheConfiguredUserAgent()
    {
        _server.MapText("/ua", "ok");
        await Fetch(_server.Url("/ua"), Loopback with { UserAgent = "TestAgent/9" });
        Assert.Contains(_server.Requests, r => r.Path == "/ua" && r.Headers.UserAgent == "TestAgent/9");
    }
}
