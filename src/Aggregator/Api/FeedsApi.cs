using System.Security.Cryptography;
using System.Text;
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
        string Identity, string? IdentityNote);

    public static void Map(WebApplication app)
    {
        app.MapGet("/api/feeds", ListAsync).WithSummary("Health of every configured feed, with the next planned poll and why.");
        app.MapPost("/api/feeds/{id}/refresh", RefreshAsync).WithSummary("Poll a feed now (operator: X-Api-Key when api.key is set, loopback only otherwise).");
    }

    private static async Task<Ok<List<FeedHealthDto>>> ListAsync(AggregatorConfig config, StoryStore store, ISchedulerFactory schedulers, CancellationToken cancel)
    {
        var scheduler = await schedulers.GetScheduler(cancel);
        var counts = store.CountStoriesByFeed();
        var result = new List<FeedHealthDto>();
        foreach (var feed in config.Feeds)
        {
            var state = store.GetFeedState(feed.Id);
            var trigger = await scheduler.GetTrigger(SchedulingServices.TriggerKeyFor(feed.Id), cancel);
            result.Add(new FeedHealthDto(feed.Id, feed.Url.ToString(), feed.Category, feed.Title, state.Status, state.LastFetched,
                state.LastSucceeded, state.Error, state.ErrorClass, state.ConsecutiveFailures, counts.GetValueOrDefault(feed.Id),
                trigger?.NextFireTimeUtc ?? (state.NextFetch is { } n ? new DateTimeOffset(DateTime.SpecifyKind(n, DateTimeKind.Utc)) : null),
                state.PlanReason, state.MovedTo, state.Identity, state.IdentityNote));
        }
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RefreshAsync(
        string id, HttpContext context, AggregatorConfig config, ISchedulerFactory schedulers, CancellationToken cancel)
    {
        if (OperatorAccess.Check(context, config.Api) is { } denied) return denied;
        if (config.FindFeed(id) is null) return Problems.NotFound($"no feed with id \"{id}\"");
        var scheduler = await schedulers.GetScheduler(cancel);
        await scheduler.TriggerJob(SchedulingServices.JobKeyFor(id), cancel);
        return TypedResults.Accepted($"/api/feeds#{id}");
    }
}

/// <summary>
/// Operator routes need the configured API key (X-Api-Key or Bearer, compared in constant time);
/// without a key they are open only to loopback callers.
/// </summary>
internal static class OperatorAccess
{
    public static ProblemHttpResult? Check(HttpContext context, ApiOptions api)
    {
        if (api.Key is null)
            return context.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip) ? null
                : TypedResults.Problem("operator routes are open to loopback only until api.key is configured", statusCode: 403, title: "Forbidden");
        var given = context.Request.Headers["X-Api-Key"].FirstOrDefault()
            ?? context.Request.Headers.Authorization.FirstOrDefault()?.Replace("Bearer ", "", StringComparison.Ordinal);
        var ok = given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(api.Key)));
        return ok ? null : TypedResults.Problem("a valid API key is required (X-Api-Key header)", statusCode: 401, title: "Unauthorized");
    }
}
