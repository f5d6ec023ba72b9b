using System.CommandLine;
using Aggregator.Core.Configuration;
using Aggregator.Demo;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary><c>aggregator serve</c>: the scheduler and the HTTP API, optionally over the bundled demo corpus.</summary>
internal static class ServeCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = CommandLine.ConfigOption();
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://localhost:5080" };
        var demo = new Option<bool>("--demo") { Description = "Serve the bundled samples/ corpus on a loopback server and aggregate it (no internet needed; ignores --config)" };
        var command = new Command("serve", "Run the scheduler and the HTTP API (reading page, JSON API, RSS/Atom/JSON Feed).") { config, urls, demo };
        command.SetAction((result, cancel) => RunAsync(result.GetValue(config)!, result.GetValue(urls)!, result.GetValue(demo), time, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string urls, bool demo, TimeProvider time, CancellationToken cancel)
    {
        if (ListenCheck.FirstBusy(urls) is { } busy)
        {
            Console.Error.WriteLine($"serve: cannot listen on {busy}: the address is already in use (another process listens there; choose another with --urls)");
            return CommandLine.UsageError;
        }
        await using var demoSite = demo ? await DemoSite.StartAsync(time, cancel) : null;
        var config = demoSite is not null ? demoSite.Config(FirstUrl(urls)) : HostContext.LoadConfig(configPath);
        if (config is null) return CommandLine.UsageError;
        using var store = HostContext.OpenStore(config, time);
        if (store is null) return CommandLine.UsageError;

        await using var app = AggregatorApp.Build(config, store, time, urls, firstRunWithin: TimeSpan.FromSeconds(demo ? 1 : 15), configPath: demo ? null : configPath);
        try
        {
            await app.StartAsync(cancel);
        }
        catch (IOException e) // Kestrel's "Failed to bind to address …: address already in use", and the like
        {
            Console.Error.WriteLine($"serve: cannot listen on {urls}: {e.Message}");
            return CommandLine.UsageError;
        }
        if (demoSite is not null) Console.WriteLine($"demo: serving {demoSite.FeedCount} sample feeds from {demoSite.BaseUrl}; database {config.Storage.Path}");
        await app.WaitForShutdownAsync(cancel);
        return CommandLine.Success;
    }

    private static Uri FirstUrl(string urls) =>
        new(urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0].Replace("://*", "://localhost").Replace("://+", "://localhost"));
}
