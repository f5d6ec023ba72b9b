using System.CommandLine;
using Aggregator.Core.Storage;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary>
/// <c>aggregator backup PATH</c>: a consistent, verified copy of the database. While <c>serve</c>
/// runs it is taken by the running process (checkpoint, then copy on its writer), never by opening
/// the file from a second process.
/// </summary>
internal static class BackupCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = CommandLine.ConfigOption();
        var server = RunningService.ServerOption();
        var path = new Argument<string>("path") { Description = "Where to write the copy: a new file in storage.backupDir (default: the database's folder)" };
        var command = new Command("backup", "Write a consistent, verified copy of the database (through the running service when it holds the database).") { config, server, path };
        command.SetAction((result, cancel) => RunAsync(result.GetValue(config)!, result.GetValue(server), result.GetValue(path)!, time, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string? server, string path, TimeProvider time, CancellationToken cancel)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        if (HostContext.RefusedOnPostgres(config, "backup", "back the database up with pg_dump (e.g. pg_dump -Fc -f aggregator.dump \"$CONNECTION\")")) return CommandLine.UsageError;
        var (target, refused) = BackupTarget.Resolve(Path.GetFullPath(path), config.Storage); // PATH is relative to the current folder, as in a shell
        if (refused is not null)
        {
            Console.Error.WriteLine($"backup: {refused}");
            return CommandLine.UsageError;
        }
        StoryStore store;
        try
        {
            store = StoryStore.Open(config.Storage.Path, time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(HostContext.CannotOpen(config, e));
            return CommandLine.UsageError;
        }
        catch (StoreLockedException)
        {
            using var service = RunningService.For(config, server);
            Console.Error.WriteLine($"backup: the database is in use by a running service; asking it at {service.Server}");
            return await service.RunAsync("backup", "/api/backup", new System.Text.Json.Nodes.JsonObject { ["path"] = target }, cancel);
        }
        using (store)
        {
            try
            {
                var result = await store.BackupAsync(target!, cancel);
                Console.WriteLine($"backup: {result.Path}, {result.Bytes:N0} bytes, {result.Stories:N0} stories (verified)");
                return CommandLine.Success;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e.Message.StartsWith("backup:", StringComparison.Ordinal) ? e.Message : $"backup: {e.Message}");
                return CommandLine.SomeFailed;
            }
        }
    }
}
