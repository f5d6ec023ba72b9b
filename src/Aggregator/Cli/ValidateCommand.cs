using System.CommandLine;
using Aggregator.Core.Configuration;

namespace Aggregator.Cli;

/// <summary><c>aggregator validate</c>: prints every problem in feeds.json with its JSON path.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommandLine.ConfigOption();
        var command = new Command("validate", "Check feeds.json and print every problem with its JSON path (exit 2 if any).") { config };
        command.SetAction(result =>
        {
            var path = result.GetValue(config)!;
            try
            {
                var loaded = ConfigLoader.Load(path);
                Console.WriteLine($"{path}: valid, {loaded.Feeds.Count} feed(s) in {loaded.Categories.Count} categor{(loaded.Categories.Count == 1 ? "y" : "ies")}");
                return CommandLine.Success;
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine(e.Message);
                return CommandLine.UsageError;
            }
        });
        return command;
    }
}
