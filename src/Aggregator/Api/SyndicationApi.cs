using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Core.Syndication;

namespace Aggregator.Api;

/// <summary><c>GET /feeds/{category}.rss|.atom|.json</c>: the merged feed of a category, regenerated with full text.</summary>
internal static class SyndicationApi
{
    public static void Map(WebApplication app) => app.MapGet("/feeds/{file}", Serve)
        .WithSummary("The merged feed of a category: {category}.rss (RSS 2.0), .atom (Atom 1.0) or .json (JSON Feed 1.1), full text; ?limit=")
        .Produces(200, contentType: "application/rss+xml", additionalContentTypes: ["application/atom+xml", "application/feed+json"])
        .Produces(304).ProducesProblem(400).ProducesProblem(404);

    public static string Slug(string category) =>
        string.Concat(category.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-');

    private static IResult Serve(string file, HttpContext context, AggregatorConfig config, IStoryStore store, OutputCache cache, TimeProvider time)
    {
        var dot = file.LastIndexOf('.');
        var (slug, format) = dot < 0 ? (file, "") : (file[..dot], file[(dot + 1)..]);
        var category = config.Categories.FirstOrDefault(c => Slug(c) == slug);
        if (category is null) return Problems.NotFound($"no category \"{slug}\" (have: {string.Join(", ", config.Categories.Select(Slug))})");
        if (format is not ("rss" or "atom" or "json")) return Problems.NotFound($"no format \"{format}\" (use .rss, .atom or .json)");
        int limit;
        try { limit = QueryParameters.Limit(context.Request.Query["limit"], config.Output.MaxItems, config.Output.MaxItems); }
        catch (BadParameterException e) { return e.ToProblem(); }

        var rendered = cache.GetOrCreate((slug, format, limit), () => Render(config, store, category, slug, format, limit, time.GetUtcNow().UtcDateTime));
        return Conditional.Send(context, rendered);
    }

    private static Rendered Render(AggregatorConfig config, IStoryStore store, string category, string slug, string format, int limit, DateTime now)
    {
        var stories = store.QueryStories(new StoryQuery(limit, category)).Items;
        var updated = stories.Count == 0 ? DateTime.UnixEpoch : Emitted.Time(stories.Max(s => s.Updated), now);
        var site = config.Output.PublicUrl;
        var channel = new SyndicationChannel(
            $"{config.Output.Title} — {category}", category, site, new Uri(site, $"feeds/{slug}.{format}"), updated, stories,
            config.Feeds.Where(f => f.Title is not null).ToDictionary(f => f.Id, f => f.Title!)) { Now = now };
        return format switch
        {
            "rss" => new Rendered(RssWriter.Write(channel), "application/rss+xml; charset=utf-8", updated),
            "atom" => new Rendered(AtomWriter.Write(channel), "application/atom+xml; charset=utf-8", updated),
            _ => new Rendered(JsonFeedWriter.Write(channel), "application/feed+json; charset=utf-8", updated),
        };
    }
}
