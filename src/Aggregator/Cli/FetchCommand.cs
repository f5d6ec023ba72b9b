using System.CommandLine;
using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Hosting;

namespace Aggregator.Cli;

/// <summary><c>aggregator fetch</c>: one pass over every (or one) feed through the full pipeline, then exit.</summary>
internal static class FetchCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = CommandLine.ConfigOption();
        var feed = new Option<string?>("--feed") { Description = "Only this feed id" };
        var command = new Command("fetch", "Fetch every feed (or one) through the full pipeline now, print a per-feed summary, then exit.") { config, feed };
        command.SetAction((result, cancel) => RunAsync(result.GetValue(config)!, result.GetValue(feed), time, cancel));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string? feedId, TimeProvider time, CancellationToken cancel)
    {
        if (HostContext.LoadConfig(configPath) is not { } config) return CommandLine.UsageError;
        var feeds = feedId is null ? config.Feeds : config.Feeds.Where(f => f.Id == feedId).ToList();
        if (feeds.Count == 0)
        {
            Console.Error.WriteLine(feedId is null ? $"config: {configPath} lists no feeds" : $"usage: --feed \"{feedId}\" is not a feed id in {configPath}");
            return CommandLine.UsageError;
        }
        if (HostContext.OpenStore(config, time) is not { } store) return CommandLine.UsageError;

        using var closing = store; // checkpoint and release the lock on the way out
        await using var services = CliServices.Build(config, store, time);
        var ingestor = services.GetRequiredService<FeedIngestor>();
        var summaries = new List<FeedRunSummary>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = config.Schedule.MaxConcurrentFetches, CancellationToken = cancel };
        await Parallel.ForEachAsync(feeds, options, async (f, token) =>
        {
            Console.WriteLine($"fetching {f.Id} {f.Url}");
            var summary = await ingestor.IngestAsync(f, token);
            lock (summaries) summaries.Add(summary);
            Console.WriteLine($"  {summary}");
        });
        Console.WriteLine($"done: {summaries.Sum(s => s.New)} new, {summaries.Sum(s => s.Updated)} updated, " +
                          $"{summaries.Sum(s => s.Duplicate)} duplicate, {summaries.Sum(s => s.Failed)} failed items; " +
                          $"{summaries.Count(s => !s.Succeeded)} of {summaries.Count} feeds failed; {store.StoryCount} stories stored");
        return summaries.All(s => s.Succeeded && s.Failed == 0) ? CommandLine.Success : CommandLine.SomeFailed;
    }
}
