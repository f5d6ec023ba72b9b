using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests.Support;

/// <summary>The real pipeline services (HTTP client factory, fetcher, ingestor) over a real store.</summary>
public sealed class Pipelines : IDisposable
{
    private readonly ServiceProvider _services;

    public Pipelines(AggregatorConfig config, StoryStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAggregatorCore(config, store, TimeProvider.System);
        _services = services.BuildServiceProvider();
    }

    public IServiceProvider Services => _services;

    public HttpFetcher Fetcher => _services.GetRequiredService<HttpFetcher>();

    public FeedIngestor Ingestor => _services.GetRequiredService<FeedIngestor>();

    /// <summary>Just a fetcher, with the given HTTP options.</summary>
    public static (IDisposable Owner, HttpFetcher Fetcher) FetcherOnly(HttpOptions http)
    {
        var services = new ServiceCollection();
        var config = TestConfigs.For("/nonexistent") with { Http = http };
        services.AddSingleton(TimeProvider.System);
        services.AddAggregatorFetching(config);
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<HttpFetcher>());
    }

    public void Dispose() => _services.Dispose();
}
