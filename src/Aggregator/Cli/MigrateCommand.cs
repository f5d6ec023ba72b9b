using System.CommandLine;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary>
/// <c>aggregator migrate</c>: applies the PostgreSQL schema's pending migrations (ours and Quartz's
/// tables) ahead of a rollout and prints the version. <c>serve</c> does the same at start; LiteDB has nothing to migrate.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var config = CommandLine.ConfigOption();
        var command = new Command("migrate", "Apply pending PostgreSQL schema migrations (storage.provider \"postgres\") and print the schema version.") { config };
        command.SetAction(result => Run(result.GetValue(config)!));
        return command;
    }

    private static int Run(string configPath)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        if (!config.Storage.IsPostgres)
        {
            Console.WriteLine($"migrate: storage.provider is \"litedb\": nothing to migrate ({config.Storage.Path} is created and kept current by serve and fetch)");
            return CommandLine.Success;
        }
        try
        {
            var (from, to) = PostgresStoryStore.Migrate(HostContext.NodeConnectionString(config));
            Console.WriteLine(from == to
                ? $"migrate: schema version {to}, up to date"
                : $"migrate: schema version {to} (was {from}; applied {to - from} migration{(to - from == 1 ? "" : "s")}, Quartz's scheduler tables included)");
            return CommandLine.Success;
        }
        catch (StorageFaultException e)
        {
            Console.Error.WriteLine($"{e.Message} (storage.connectionString: the PostgreSQL database could not be migrated)");
            return CommandLine.UsageError;
        }
    }
}
