using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary>The pipeline for one-shot commands (no scheduler, no web host), logging warnings to the console.</summary>
internal static class CliServices
{
    public static ServiceProvider Build(AggregatorConfig config, IStoryStore store, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddAggregatorCore(config, store, time);
        var provider = services.BuildServiceProvider();
        HostContext.SetLogger(store, provider.GetRequiredService<ILoggerFactory>());
        return provider;
    }
}
