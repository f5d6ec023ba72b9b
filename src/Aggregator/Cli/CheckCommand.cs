using System.CommandLine;
using Aggregator.Core.Storage;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary><c>aggregator check [--repair]</c>: verify the database file (every page header, every document), and salvage a damaged one.</summary>
internal static class CheckCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = CommandLine.ConfigOption();
        var repair = new Option<bool>("--repair") { Description = "Rebuild a damaged database into a new file (readable documents kept, the damaged file kept beside it), then swap it in" };
        var command = new Command("check", "Check the database file; with --repair, salvage a damaged one. Stop the service first.") { config, repair };
        command.SetAction(result => Run(result.GetValue(config)!, result.GetValue(repair), time));
        return command;
    }

    private static int Run(string configPath, bool repair, TimeProvider time)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        if (HostContext.RefusedOnPostgres(config, "check", "PostgreSQL keeps its own pages consistent (WAL, checksums); back it up with pg_dump and restore with pg_restore")) return CommandLine.UsageError;
        var path = config.Storage.Path;
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"storage: {path} does not exist (nothing to check)");
            return CommandLine.UsageError;
        }
        try
        {
            var report = StoreRepair.Check(path);
            Print(report.Collections);
            if (report.Healthy)
            {
                Console.WriteLine($"ok: {path}");
                return CommandLine.Success;
            }
            Console.WriteLine($"damaged: {path}: {report.Problem}");
            if (!repair)
            {
                Console.WriteLine("run 'aggregator check --repair' (service stopped) to salvage it, or restore a backup");
                return CommandLine.SomeFailed;
            }
            var repaired = StoreRepair.Repair(path, time.GetUtcNow().UtcDateTime);
            Print(repaired.Collections);
            Console.WriteLine($"repaired: {path} ({repaired.PagesLost} damaged pages skipped); the damaged file is kept as {repaired.DamagedCopy}");
            return CommandLine.Success;
        }
        catch (Exception e) when (e is StoreLockedException or StoreFileException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return CommandLine.UsageError;
        }
    }

    private static void Print(IReadOnlyList<(string Collection, int Documents)> collections)
    {
        foreach (var (name, documents) in collections) Console.WriteLine($"  {name}: {documents} documents");
    }
}
