using Aggregator.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Core.Fetching;

/// <summary>Registers the guarded HTTP client and the fetcher.</summary>
public static class FetchingServices
{
    public static IServiceCollection AddAggregatorFetching(this IServiceCollection services, AggregatorConfig config)
    {
        services.AddHttpClient(HttpFetcher.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => GuardedConnector.CreateHandler(config.Http));
        services.AddSingleton(sp => new HttpFetcher(
            sp.GetRequiredService<System.Net.Http.IHttpClientFactory>(), config.Http, config.Schedule,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
