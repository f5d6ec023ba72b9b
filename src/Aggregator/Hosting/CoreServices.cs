using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;

namespace Aggregator.Hosting;

/// <summary>Registers the pipeline (shared by <c>serve</c> and <c>fetch</c>): one store, one fetcher, one ingestor.</summary>
public static class CoreServices
{
    public static IServiceCollection AddAggregatorCore(this IServiceCollection services, AggregatorConfig config, IStoryStore store, TimeProvider time)
    {
        // The configuration in force; resolving AggregatorConfig gives the current one (reloads apply to the next use).
        services.AddSingleton(new LiveConfig(config));
        services.AddTransient(sp => sp.GetRequiredService<LiveConfig>().Current);
        services.AddSingleton(store);
        if (store is StoryStore file) services.AddSingleton(file); // file-only operations: backup, checkpoint, size
        services.AddSingleton(time); // the one clock, chosen by the composition root (Program.cs) or a test
        services.AddAggregatorFetching(config);
        services.AddSingleton<ArticleSource>();
        services.AddSingleton<FeedIngestor>();
        services.AddSingleton<StorySplitter>();
        return services;
    }
}
