using System.CommandLine;

namespace Aggregator.Cli;

/// <summary>The <c>aggregator</c> command line. Exit codes: 0 success, 1 some inputs failed, 2 usage or configuration error.</summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int SomeFailed = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TimeProvider time)
    {
        var root = new RootCommand("Aggregator: a self-hosted RSS/Atom/JSON Feed news aggregator with full-text extraction and cross-outlet dedup.")
        {
            ServeCommand.Create(time),
            FetchCommand.Create(time),
            ParseCommand.Create(),
            ExtractCommand.Create(),
            ValidateCommand.Create(),
            SplitCommand.Create(time),
            BackupCommand.Create(time),
            OpmlCommand.Create(time),
            BoilerplateCommand.Create(time),
            CheckCommand.Create(time),
            MigrateCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync($"usage: {error.Message}");
            await Console.Error.WriteLineAsync("Run 'aggregator --help' for usage.");
            return UsageError;
        }
        return await parsed.InvokeAsync();
    }

    public static Option<string> ConfigOption() => new("--config")
    {
        Description = "Path of feeds.json",
        DefaultValueFactory = _ => "feeds.json",
    };
}
