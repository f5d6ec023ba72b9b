using System.CommandLine;
using System.Text.Json;
using Aggregator.Api;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary>
/// <c>aggregator split STORY URL</c>: the CLI equivalent of <c>POST /api/stories/{id}/split</c>.
/// Works on the database directly, or through the running service when <c>serve</c> holds it.
/// </summary>
internal static class SplitCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = CommandLine.ConfigOption();
        var server = RunningService.ServerOption();
        var story = new Argument<string>("story") { Description = "Id of the story the source was wrongly merged into" };
        var url = new Argument<string>("url") { Description = "URL of the source to split off (as listed in the story's sources)" };
        var feed = new Option<string?>("--feed") { Description = "The source's feed id, when several feeds carried the same URL into the story" };
        var command = new Command("split", "Split a wrongly merged source off a story into a story of its own; the split sticks across re-fetches.")
        {
            config, server, feed, story, url,
        };
        command.SetAction((result, cancel) => RunAsync(result.GetValue(config)!, result.GetValue(server), result.GetValue(story)!, result.GetValue(url)!, result.GetValue(feed), time, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string? server, string storyId, string url, string? feedId, TimeProvider time, CancellationToken cancel)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"usage: url \"{url}\" is not an absolute http(s) URL");
            return CommandLine.UsageError;
        }
        IStoryStore store;
        try
        {
            // On PostgreSQL every node shares the database: the command writes to it directly.
            if (config.Storage.IsPostgres)
            {
                if (HostContext.OpenStore(config, time) is not { } shared) return CommandLine.UsageError;
                store = shared;
            }
            else store = StoryStore.Open(config.Storage.Path, time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(HostContext.CannotOpen(config, e));
            return CommandLine.UsageError;
        }
        catch (StoreLockedException)
        {
            using var service = RunningService.For(config, server);
            Console.Error.WriteLine($"split: the database is in use by a running service; asking it at {service.Server}");
            return await service.RunAsync("split", $"/api/stories/{Uri.EscapeDataString(storyId)}/split", new System.Text.Json.Nodes.JsonObject { ["url"] = url, ["feedId"] = feedId }, cancel);
        }

        using var closing = store; // checkpoint and release the lock on the way out
        await using var services = CliServices.Build(config, store, time);
        var result = await services.GetRequiredService<StorySplitter>().SplitAsync(storyId, url, feedId, cancel);
        switch (result.Outcome)
        {
            case SplitOutcome.Split:
                Console.WriteLine(JsonSerializer.Serialize(SplitDto.Of(result.From!, result.To!, time.GetUtcNow().UtcDateTime), JsonLines.Options.GetTypeInfo(typeof(SplitDto))));
                Console.Error.WriteLine($"split: {url} left story {storyId}; it is now story {result.To!.Id}");
                return CommandLine.Success;
            case SplitOutcome.NoStory:
                Console.Error.WriteLine($"split: no story with id \"{storyId}\"");
                return CommandLine.SomeFailed;
            case SplitOutcome.NoSource:
                Console.Error.WriteLine($"split: story \"{storyId}\" has no source with URL {url}");
                return CommandLine.SomeFailed;
            default:
                Console.Error.WriteLine($"split: {url} is the only source of story \"{storyId}\": nothing to split");
                return CommandLine.SomeFailed;
        }
    }
}
