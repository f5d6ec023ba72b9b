using System.CommandLine;
using System.Text.Json;
using Aggregator.Api;
using Aggregator.Core.Storage;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary>
/// <c>aggregator boilerplate [--site HOST]</c>: what each site's articles taught — the lines learned
/// as its boilerplate. Reads the database, or asks the running service when it holds it.
/// </summary>
internal static class BoilerplateCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = CommandLine.ConfigOption();
        var server = RunningService.ServerOption();
        var site = new Option<string?>("--site") { Description = "Only this site (host without www.)" };
        var command = new Command("boilerplate", "Show the boilerplate learned per site (paragraphs in at least 3 of the site's last 20 articles, dropped from its articles).") { config, server, site };
        command.SetAction((result, cancel) => RunAsync(result.GetValue(config)!, result.GetValue(server), result.GetValue(site), time, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string? server, string? site, TimeProvider time, CancellationToken cancel)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        List<OperationsApi.SiteDto> sites;
        try
        {
            using var store = config.Storage.IsPostgres ? HostContext.OpenStore(config, time) : StoryStore.Open(config.Storage.Path, time);
            if (store is null) return CommandLine.UsageError;
            sites = store.SiteProfiles().Select(OperationsApi.SiteDto.From).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(HostContext.CannotOpen(config, e));
            return CommandLine.UsageError;
        }
        catch (StoreLockedException)
        {
            using var service = RunningService.For(config, server);
            try
            {
                var (status, body) = await service.GetAsync("/api/sites", cancel);
                if (status != 200)
                {
                    Console.Error.WriteLine($"boilerplate: the service answered {status}: {body}");
                    return CommandLine.SomeFailed;
                }
                sites = (List<OperationsApi.SiteDto>)JsonSerializer.Deserialize(body, JsonLines.Options.GetTypeInfo(typeof(List<OperationsApi.SiteDto>)))!;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"boilerplate: the database is locked and no service answers at {service.Server} ({e.Message}); pass --server");
                return CommandLine.UsageError;
            }
        }
        foreach (var profile in sites.Where(s => site is null || s.Site.Equals(site, StringComparison.OrdinalIgnoreCase)))
        {
            Console.WriteLine($"{profile.Site}: {profile.Learned.Count} learned line(s) from its last {profile.ArticlesSeen} article(s)");
            foreach (var line in profile.Learned) Console.WriteLine($"  [{line.Articles}/{profile.ArticlesSeen}] {line.Text}");
        }
        return CommandLine.Success;
    }
}
