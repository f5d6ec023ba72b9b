using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Aggregator.Api;

/// <summary><c>GET /api/stories</c> (keyset pagination, filters) and <c>GET /api/stories/{id}</c>.</summary>
internal static class StoriesApi
{
    public const int MaxLimit = 200;

    public static void Map(WebApplication app, RouteGroupBuilder operators)
    {
        app.MapGet("/api/stories", List).WithSummary("Stories, newest first, with every source; keyset pagination with nextCursor.")
            .WithDescription("q: words, all of which a story's title or text must have as whole words, the last one as a word prefix (harb finds " +
                "harbour). Case, diacritics and compatibility forms are ignored (cafe finds Café, strasse finds Straße); anything but letters " +
                "and digits separates words (e-mail is e and mail); each CJK ideograph or kana is a word. A q without any letter or digit is a 400.")
            .WithMetadata(Conditional.SelfValidating.Instance).Produces<StoryListDto>().Produces(304).ProducesProblem(400);
        app.MapGet("/api/stories/{id}", Get).WithSummary("One story with its full clean text and sanitised HTML.");
        operators.MapPost("/api/stories/{id}/split", SplitAsync)
            .WithSummary("Split a wrongly merged source off into a story of its own (operator). Body: {\"url\": \"source URL\", \"feedId\": optional}. The split sticks across re-fetches.");
    }

    /// <remarks>Parameters are taken as strings and validated here, so that every malformed value is a 400 naming it.</remarks>
    /// <remarks>The JSON is rendered once per normalised query and store version, with its ETag, and sent from the cache.</remarks>
    private static IResult List(
        HttpContext context, IStoryStore store, AggregatorConfig config, OutputCache cache, TimeProvider time, IOptions<JsonOptions> json,
        string? category = null, string? limit = null, string? cursor = null, string? since = null, string? until = null, string? q = null, string? source = null)
    {
        try
        {
            var query = ParseQuery(context.Request.Query, config);
            var rendered = cache.GetOrCreate(query, () =>
            {
                var page = store.QueryStories(query);
                var now = time.GetUtcNow().UtcDateTime;
                var next = page.NextCursor is null ? null : QueryParameters.EncodeCursor(page.NextCursor);
                var dto = new StoryListDto(page.Items.Select(s => StorySummaryDto.From(s, now)).ToList(), next);
                return new Rendered(JsonSerializer.SerializeToUtf8Bytes(dto, json.Value.SerializerOptions.GetTypeInfo(typeof(StoryListDto))), "application/json; charset=utf-8");
            });
            return Conditional.Send(context, rendered, maxAgeSeconds: 30);
        }
        catch (BadParameterException e)
        {
            return e.ToProblem();
        }
    }

    private static StoryQuery ParseQuery(IQueryCollection q, AggregatorConfig config)
    {
        foreach (var key in q.Keys)
            if (key is not ("category" or "limit" or "cursor" or "since" or "until" or "q" or "source"))
                throw new BadParameterException(key, "unknown parameter (allowed: category, limit, cursor, since, until, q, source)");
        var category = QueryParameters.Text("category", q["category"], 100) is { } asked
            ? config.Categories.FirstOrDefault(c => c.Equals(asked, StringComparison.OrdinalIgnoreCase))
              ?? throw new BadParameterException("category", $"\"{asked}\" is not a configured category ({string.Join(", ", config.Categories)})")
            : null;
        var source = QueryParameters.Text("source", q["source"], 64);
        if (source is not null && config.FindFeed(source) is null)
            throw new BadParameterException("source", $"\"{source}\" is not a configured feed id");
        var since = QueryParameters.Time("since", q["since"]);
        var until = QueryParameters.Time("until", q["until"]);
        if (since > until) throw new BadParameterException("since", "must not be later than until");
        var text = QueryParameters.Text("q", q["q"], 200);
        if (text is not null && SearchQuery.Parse(text).IsEmpty) throw new BadParameterException("q", "must contain a word (letters or digits)");
        return new StoryQuery(
            QueryParameters.Limit(q["limit"], 50, MaxLimit), category, QueryParameters.DecodeCursor(q["cursor"]),
            since, until, text, source, ListFieldsOnly: true);
    }

    private static async Task<Results<Ok<SplitDto>, ProblemHttpResult>> SplitAsync(
        string id, HttpContext context, AggregatorConfig config, StorySplitter splitter, TimeProvider time, CancellationToken cancel)
    {
        string url;
        string? feedId;
        try
        {
            (url, feedId) = await SplitSourceAsync(context.Request, config, cancel);
        }
        catch (BadParameterException e)
        {
            return e.ToProblem();
        }
        var result = await splitter.SplitAsync(id, url, feedId, cancel);
        return result.Outcome switch
        {
            SplitOutcome.Split => TypedResults.Ok(SplitDto.Of(result.From!, result.To!, time.GetUtcNow().UtcDateTime)),
            SplitOutcome.NoStory => Problems.NotFound($"no story with id \"{id}\""),
            SplitOutcome.NoSource => Problems.BadParameter("url", $"story \"{id}\" has no source with URL {url}{(feedId is null ? "" : $" from feed \"{feedId}\"")}"),
            _ => TypedResults.Problem($"\"{url}\" is the only source of story \"{id}\": nothing to split", statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        };
    }

    /// <summary>The source to split off: <c>{"url": …, "feedId": …}</c> (or query parameters); feedId tells apart two feeds that carried the same URL.</summary>
    private static async Task<(string Url, string? FeedId)> SplitSourceAsync(HttpRequest request, AggregatorConfig config, CancellationToken cancel)
    {
        var body = await JsonBody.ReadAsync(request, cancel);
        var url = body.String("url");
        if (string.IsNullOrWhiteSpace(url)) throw new BadParameterException("url", "the source URL to split off is required");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new BadParameterException("url", $"\"{url}\" is not an absolute http(s) URL");
        var feedId = body.String("feedId");
        if (feedId is not null && config.FindFeed(feedId) is null) throw new BadParameterException("feedId", $"\"{feedId}\" is not a configured feed id");
        return (url, feedId);
    }

    private static Results<Ok<StoryDetailDto>, ProblemHttpResult> Get(string id, IStoryStore store, TimeProvider time) =>
        store.GetStory(id) is { } story ? TypedResults.Ok(StoryDetailDto.From(story, time.GetUtcNow().UtcDateTime)) : Problems.NotFound($"no story with id \"{id}\"");
}
