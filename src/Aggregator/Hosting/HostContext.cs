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

    public static StoryStore? OpenStore(AggregatorConfig config, TimeProvider time)
    {
        try
        {
            return StoryStore.Open(config.Storage.Path, time);
        }
        catch (StoreLockedException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }
}
