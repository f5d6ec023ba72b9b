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
            return StoryStore.Open(config.Storage.Path, time, TimeSpan.FromDays(config.Retention.Days));
        }
        catch (Exception e) when (e is StoreLockedException or StoreFileException)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(CannotOpen(config, e));
            return null;
        }
    }

    /// <summary>What is really wrong when the database cannot be opened (not "in use": nothing holds it).</summary>
    public static string CannotOpen(AggregatorConfig config, Exception e) =>
        $"storage: cannot open {config.Storage.Path} as the database (storage.path): {e.Message} " +
        "It needs a writable folder where the file and its .lock file can be created.";
}
