using System.Text.Json.Nodes;
using Aggregator.Core.Storage;
using Microsoft.OpenApi;

namespace Aggregator.Webhooks;

/// <summary>The webhook a receiver implements, in the OpenAPI 3.1 document's <c>webhooks</c> section, with a sample payload.</summary>
internal static class WebhookOpenApi
{
    public const string SampleBody = """
        {"id":43,"type":"source.added","occurredAt":"2026-03-02T11:20:41Z",
         "story":{"id":"5f0c1d2e3a4b5c6d","title":"Ceasefire talks resume","url":"https://example.org/world/ceasefire","category":"World",
                  "published":"2026-03-02T10:58:00Z","updated":"2026-03-02T11:00:03Z","summary":"Delegations met again…","byline":"A. Reporter",
                  "imageUrl":null,"language":"en","text":"Delegations met again on Monday…","html":"<p>Delegations met again on Monday…</p>",
                  "sources":[{"feedId":"gulfwire-world","title":"Gulf Wire — World","url":"https://example.org/world/ceasefire","published":"2026-03-02T10:58:00Z","firstSeen":"2026-03-02T11:00:03Z","matchedBy":"new"},
                             {"feedId":"courier-intl","title":"Courier — International","url":"https://courier.example/intl/talks","published":"2026-03-02T11:15:00Z","firstSeen":"2026-03-02T11:20:41Z","matchedBy":"similar-text 0.81"}],
                  "extractedBy":"rules"},
         "source":{"feedId":"courier-intl","title":"Courier — International","url":"https://courier.example/intl/talks","published":"2026-03-02T11:15:00Z","firstSeen":"2026-03-02T11:20:41Z","matchedBy":"similar-text 0.81"}}
        """;

    public static void Describe(OpenApiDocument document)
    {
        var operation = new OpenApiOperation
        {
            Summary = "A story event, POSTed to each webhook that subscribed to its type",
            Description = $"Types: {string.Join(", ", OutboxEventTypes.All)}. The body is signed: {WebhookSignature.Header}: sha256=<hex HMAC-SHA256 of the raw body with the hook's secret>. " +
                "Delivered at least once, in order per hook; any 2xx acknowledges, anything else is retried with backoff. `story` is the story as GET /api/stories/{id} shows it " +
                $"(null once deleted; `html` null above {EventPayloads.MaxHtmlChars} characters); `source` the source that joined (source.added only).",
            Parameters =
            [
                Header(WebhookSignature.Header, "sha256=<hex HMAC-SHA256 of the body>"),
                Header(WebhookSignature.EventIdHeader, "the event id (also in the body): deduplicate redeliveries by it"),
                Header(WebhookSignature.EventTypeHeader, "story.created, story.updated or source.added"),
            ],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Example = JsonNode.Parse(SampleBody) } },
            },
            Responses = new OpenApiResponses { ["2XX"] = new OpenApiResponse { Description = "Acknowledged: the hook's cursor moves past the event." } },
        };
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        document.Webhooks["storyEvent"] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation } };
    }

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = true, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
