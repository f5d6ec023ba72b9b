using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Aggregator.Tests.Support;

/// <summary>The real web host (Kestrel on 127.0.0.1, a free port) over a store; the scheduler starts only when asked.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    private ApiHost(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public static async Task<ApiHost> StartAsync(AggregatorConfig config, StoryStore store, bool schedule = false, string? configPath = null)
    {
        var app = AggregatorApp.Build(config, store, "http://127.0.0.1:0", TimeSpan.Zero, schedule, configPath);
        await app.StartAsync();
        return new ApiHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
