using System.CommandLine;
using Aggregator.Core.Configuration;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary>
/// <c>aggregator opml import FILE</c> adds an OPML subscription list to <c>feeds.json</c> (a running
/// <c>serve</c> picks the change up by itself); <c>aggregator opml export</c> writes OPML 2.0.
/// </summary>
internal static class OpmlCommand
{
    public static Command Create(TimeProvider time)
    {
        var importConfig = CommandLine.ConfigOption();
        var file = new Argument<string>("file") { Description = "OPML file exported by another reader" };
        var import = new Command("import", "Add the OPML file's feeds to feeds.json: ids derived from titles, feeds already present skipped, category from the outline folder.") { importConfig, file };
        import.SetAction(result => Import(result.GetValue(importConfig)!, result.GetValue(file)!));

        var exportConfig = CommandLine.ConfigOption();
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output" };
        var export = new Command("export", "Write the configured feeds as OPML 2.0, one folder per category.") { exportConfig, output };
        export.SetAction(result => Export(result.GetValue(exportConfig)!, result.GetValue(output), time));

        return new Command("opml", "Import or export subscription lists in OPML.") { import, export };
    }

    private static int Import(string configPath, string file)
    {
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"opml: file not found: {Path.GetFullPath(file)}");
            return CommandLine.UsageError;
        }
        if (HostContext.LoadConfig(configPath) is null) return CommandLine.UsageError;
        OpmlImportResult result;
        try
        {
            result = Opml.AddTo(File.ReadAllText(configPath), Opml.Read(File.ReadAllText(file)));
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine(e.Message);
            return CommandLine.UsageError;
        }
        // The new file must itself be valid before it replaces the old one.
        var (_, errors) = ConfigLoader.Parse(result.Json, Path.GetDirectoryName(Path.GetFullPath(configPath))!);
        if (errors.Count > 0)
        {
            Console.Error.WriteLine($"opml: {configPath} left unchanged; the import would make it invalid:");
            foreach (var error in errors) Console.Error.WriteLine($"  {error}");
            return CommandLine.SomeFailed;
        }
        if (result.Added.Count > 0)
        {
            var temporary = configPath + ".opml-import";
            File.WriteAllText(temporary, result.Json + Environment.NewLine);
            File.Move(temporary, configPath, overwrite: true);
        }
        Console.WriteLine($"opml: {result.Added.Count} feeds added to {configPath}{(result.Added.Count > 0 ? ": " + string.Join(", ", result.Added) : "")}");
        foreach (var skipped in result.Skipped) Console.WriteLine($"  skipped {skipped}");
        return CommandLine.Success;
    }

    private static int Export(string configPath, string? output, TimeProvider time)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        var opml = Opml.Export(config, time.GetUtcNow());
        if (output is null) Console.Write(opml);
        else File.WriteAllText(output, opml);
        return CommandLine.Success;
    }
}
