using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;

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

    /// <summary>The configured store: the LiteDB file, or the PostgreSQL database shared by the cluster's nodes; null (and the reason printed) when it cannot be opened.</summary>
    public static IStoryStore? OpenStore(AggregatorConfig config, TimeProvider time)
    {
        var horizon = TimeSpan.FromDays(config.Retention.Days);
        if (config.Storage.IsPostgres)
        {
            try
            {
                return PostgresStoryStore.Open(NodeConnectionString(config), time, horizon);
            }
            catch (StorageFaultException e)
            {
                Console.Error.WriteLine($"{e.Message} (storage.connectionString: the PostgreSQL database could not be opened)");
                return null;
            }
        }
        try
        {
            return StoryStore.Open(config.Storage.Path, time, horizon);
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

    /// <summary>The configured PostgreSQL connection string; the node's id names its connections (pg_stat_activity), unless the operator named them.</summary>
    public static string NodeConnectionString(AggregatorConfig config)
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(config.Storage.ConnectionString);
        connection.ApplicationName ??= $"aggregator/{config.Storage.NodeId}";
        return connection.ConnectionString;
    }

    /// <summary>Commands that work on the LiteDB file say so on PostgreSQL, with what to use there; true when the command must stop.</summary>
    public static bool RefusedOnPostgres(AggregatorConfig config, string command, string instead)
    {
        if (!config.Storage.IsPostgres) return false;
        Console.Error.WriteLine($"{command}: storage.provider is \"postgres\": this command works on the LiteDB file; {instead}");
        return true;
    }

    /// <summary>Where the store reports faults and recoveries.</summary>
    public static void SetLogger(IStoryStore store, ILoggerFactory loggers)
    {
        switch (store)
        {
            case StoryStore file: file.Logger = loggers.CreateLogger<StoryStore>(); break;
            case PostgresStoryStore shared: shared.Logger = loggers.CreateLogger<PostgresStoryStore>(); break;
        }
    }

    /// <summary>What is really wrong when the database cannot be opened (not "in use": nothing holds it).</summary>
    public static string CannotOpen(AggregatorConfig config, Exception e) =>
        $"storage: cannot open {config.Storage.Path} as the database (storage.path): {e.Message} " +
        "It needs a writable folder where the file and its .lock file can be created.";
}
