using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Quartz;

namespace Aggregator.Api;

/// <summary>Feed health for operators, and <c>POST /api/feeds/{id}/refresh</c>.</summary>
internal static class FeedsApi
{
    public sealed record FeedHealthDto(
        string Id, string Url, string Category, string? Title, string Status, DateTime? LastFetched, DateTime? LastSucceeded,
        string? Error, string? ErrorClass, int ConsecutiveFailures, int StoryCount, DateTimeOffset? NextFetch, string? NextFetchReason, string? MovedTo,
        string Identity, string? IdentityNote)
    {
        /// <summary>Items this feed's filters blocked (remembered, never stored).</summary>
        public int BlockedCount { get; init; }

        /// <summary>The feed's own HTTP settings, secrets redacted; null when it has none.</summary>
        public FeedHttpDto? Http { get; init; }
    }

    /// <summary><c>feeds[].http</c> as operators may see it: header names and values, the basic-auth user and variable, never a password or cookie.</summary>
    public sealed record FeedHttpDto(string? UserAgent, IReadOnlyDictionary<string, string> Headers, string? BasicAuthUser, string? PasswordEnv, bool Cookie)
    {
        public static FeedHttpDto? Of(FeedHttpOptions? o) =>
            o is null ? null : new(o.UserAgent, o.Headers, o.BasicAuth?.User, o.BasicAuth?.PasswordEnv, o.Cookie is not null);
    }

    public static void Map(WebApplication app, RouteGroupBuilder operators)
    {
        app.MapGet("/api/feeds", ListAsync).WithSummary("Health of every configured feed, with the next planned poll and why.");
        operators.MapPost("/api/feeds/{id}/refresh", RefreshAsync).WithSummary("Poll a feed now (operator: X-Api-Key when api.key is set, loopback only otherwise).");
    }

    private static async Task<Ok<List<FeedHealthDto>>> ListAsync(AggregatorConfig config, IStoryStore store, ISchedulerFactory schedulers, CancellationToken cancel)
    {
        var scheduler = await schedulers.GetScheduler(cancel);
        var counts = store.CountStoriesByFeed();
        var blocked = store.CountBlockedByFeed();
        var result = new List<FeedHealthDto>();
        foreach (var feed in config.Feeds)
        {
            var state = store.GetFeedState(feed.Id);
            var trigger = await scheduler.GetTrigger(SchedulingServices.TriggerKeyFor(feed.Id), cancel);
            result.Add(new FeedHealthDto(feed.Id, feed.Url.ToString(), feed.Category, feed.Title, state.Status, state.LastFetched,
                state.LastSucceeded, state.Error, state.ErrorClass, state.ConsecutiveFailures, counts.GetValueOrDefault(feed.Id),
                trigger?.NextFireTimeUtc ?? (state.NextFetch is { } n ? new DateTimeOffset(DateTime.SpecifyKind(n, DateTimeKind.Utc)) : null),
                state.PlanReason, state.MovedTo, state.Identity, state.IdentityNote)
            {
                BlockedCount = blocked.GetValueOrDefault(feed.Id),
                Http = FeedHttpDto.Of(feed.Http),
            });
        }
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RefreshAsync(
        string id, AggregatorConfig config, ISchedulerFactory schedulers, CancellationToken cancel)
    {
        if (config.FindFeed(id) is null) return Problems.NotFound($"no feed with id \"{id}\"");
        var scheduler = await schedulers.GetScheduler(cancel);
        await scheduler.TriggerJob(SchedulingServices.JobKeyFor(id), cancel);
        return TypedResults.Accepted($"/api/feeds#{id}");
    }
}
