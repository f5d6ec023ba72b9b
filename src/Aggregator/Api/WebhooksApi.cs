using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api;

/// <summary><c>GET /api/webhooks</c>: where each configured hook's delivery stands (operator route).</summary>
internal static class WebhooksApi
{
    /// <summary>One hook: its URL without the query (it may carry a token), what it wants, and its delivery state.</summary>
    public sealed record WebhookStatusDto(
        string Id, string Url, IReadOnlyList<string> Events, long LastDeliveredId, long LatestEventId, int? LastStatus, string? LastError,
        int Failures, DateTime? LastAttempt, DateTime? LastSuccess, DateTime? NextAttempt);

    public static void Map(RouteGroupBuilder operators) =>
        operators.MapGet("/api/webhooks", List)
            .WithSummary("Delivery status of every configured webhook: last delivered event id, last HTTP status, failures, next attempt (operator).");

    private static Ok<List<WebhookStatusDto>> List(AggregatorConfig config, IStoryStore store)
    {
        var latest = store.LatestEventId;
        var result = config.Webhooks.Select(hook =>
        {
            var state = store.GetWebhookState(hook.Id) ?? new WebhookStateRecord { Id = hook.Id, LastDelivered = latest };
            return new WebhookStatusDto(hook.Id, hook.Url.GetLeftPart(UriPartial.Path), hook.Events, state.LastDelivered, latest, state.LastStatus,
                state.LastError, state.Failures, state.LastAttempt, state.LastSuccess, state.NextAttempt);
        }).ToList();
        return TypedResults.Ok(result);
    }
}
