using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

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

    public static async Task<ApiHost> StartAsync(AggregatorConfig config, IStoryStore store, bool schedule = false, string? configPath = null, TimeProvider? time = null)
    {
        var app = AggregatorApp.Build(config, store, time ?? TimeProvider.System, "http://127.0.0.1:0", TimeSpan.Zero, schedule, configPath);
        await app.StartAsync();
        return new ApiHost(app);
    }

    /// <summary>A mapped route: its pattern, its HTTP methods, and whether it is in the operator group.</summary>
    public sealed record Route(string Pattern, IReadOnlyList<string> Methods, bool IsOperator);

    /// <summary>Every route the app maps, from its own endpoint data sources.</summary>
    public IReadOnlyList<Route> Routes() =>
        ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => new Route("/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.ToList() ?? [],
                e.Metadata.GetMetadata<Aggregator.Api.OperatorAccess.OperatorRoute>() is not null))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
