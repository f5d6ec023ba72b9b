using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;

namespace Aggregator.Hosting;

/// <summary>Registers the pipeline (shared by <c>serve</c> and <c>fetch</c>): one store, one fetcher, one ingestor.</summary>
public static class CoreServices
{
    public static IServiceCollection AddAggregatorCore(this IServiceCollection services, AggregatorConfig config, StoryStore store)
    {
        services.AddSingleton(config);
        services.AddSingleton(store);
        services.AddSingleton(TimeProvider.System);
        services.AddAggregatorFetching(config);
        services.AddSingleton<ArticleSource>();
        services.AddSingleton<FeedIngestor>();
        services.AddSingleton<StorySplitter>();
        return services;
    }
}
