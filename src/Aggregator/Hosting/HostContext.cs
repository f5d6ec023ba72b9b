using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;

namespace Aggregator.Hosting;

/// <summary>Start-up steps shared by commands: load the configuration and open the store, with clear errors.</summary>
internal static class HostContext
{
    public static AggregatorConfig? LoadConfig(string path)
    {
        try
        {
            return ConfigLoader.Load(path);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }

    public static StoryStore? OpenStore(AggregatorConfig config)
    {
        try
        {
            return StoryStore.Open(config.Storage.Path, TimeProvider.System, TimeSpan.FromDays(config.Retention.Days));
        }
        catch (Exception e) when (e is StoreLockedException or StoreFileException)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }
}
