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
        var deadline = new Option<TimeSpan>("--deadline")
        {
            Description = "Overall time limit (hh:mm:ss); feeds still running then are named and the exit code is 1",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
        };
        deadline.Validators.Add(r => { if (r.GetValueOrDefault<TimeSpan>() <= TimeSpan.Zero) r.AddError("--deadline must be positive"); });
        var command = new Command("fetch", "Fetch every feed (or one) through the full pipeline now, print a per-feed summary, then exit.") { config, feed, deadline };
        command.SetAction((result, cancel) => RunAsync(result.GetValue(config)!, result.GetValue(feed), result.GetValue(deadline), time, cancel));
        return command;
    }

    /// <summary>Time for polls to notice the deadline's cancellation before the command stops waiting for them.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private static async Task<int> RunAsync(string configPath, string? feedId, TimeSpan deadline, TimeProvider time, CancellationToken cancel)
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
        var running = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeUp.CancelAfter(deadline);
        var options = new ParallelOptions { MaxDegreeOfParallelism = config.Schedule.MaxConcurrentFetches, CancellationToken = timeUp.Token };
        var pass = Parallel.ForEachAsync(feeds, options, async (f, token) =>
        {
            running[f.Id] = true;
            Console.WriteLine($"fetching {f.Id} {f.Url}");
            var summary = await ingestor.IngestAsync(f, token);
            lock (summaries) summaries.Add(summary);
            running.TryRemove(f.Id, out _);
            Console.WriteLine($"  {summary}");
        });
        // The deadline cancels the polls; a poll that does not notice within the grace period is not waited for.
        var finished = await Task.WhenAny(pass, Task.Delay(Timeout.InfiniteTimeSpan, timeUp.Token).ContinueWith(_ => Task.Delay(Grace), TaskScheduler.Default).Unwrap());
        if (finished != pass || pass.IsCanceled || pass.IsFaulted)
        {
            _ = pass.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            var stuck = running.Keys.Order(StringComparer.Ordinal).ToList();
            await Console.Error.WriteLineAsync(cancel.IsCancellationRequested
                ? $"fetch: interrupted; still running: {string.Join(", ", stuck)}"
                : $"fetch: the deadline of {deadline} passed; still running: {(stuck.Count == 0 ? "none" : string.Join(", ", stuck))}; " +
                  $"not started: {feeds.Count - summaries.Count - stuck.Count}");
            Console.WriteLine($"done (cut short): {summaries.Sum(s => s.New)} new items; {summaries.Count} of {feeds.Count} feeds finished");
            return CommandLine.SomeFailed;
        }
        Console.WriteLine($"done: {summaries.Sum(s => s.New)} new, {summaries.Sum(s => s.Updated)} updated, " +
                          $"{summaries.Sum(s => s.Duplicate)} duplicate, {summaries.Sum(s => s.Failed)} failed items" +
                          $"{(summaries.Sum(s => s.Blocked) is > 0 and var blocked ? $", {blocked} blocked by filters" : "")}" +
                          $"{(summaries.Sum(s => s.Old) is > 0 and var old ? $", {old} older than retention (skipped)" : "")}; " +
                          $"{summaries.Count(s => !s.Succeeded)} of {summaries.Count} feeds failed; {store.StoryCount} stories stored");
        return summaries.All(s => s.Succeeded && s.Failed == 0) ? CommandLine.Success : CommandLine.SomeFailed;
    }
}
