using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Core.Syndication;

namespace Aggregator.Api;

/// <summary>
/// Server-rendered pages for people: <c>/</c> lists the merged World feed, <c>/stories/{id}</c> shows one
/// clean article with its sources. No JavaScript; a strict Content-Security-Policy.
/// </summary>
internal static class ReadingPages
{
    private const string Csp = "default-src 'none'; style-src 'self'; img-src http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static void Map(WebApplication app)
    {
        app.MapGet("/", Index).ExcludeFromDescription();
        app.MapGet("/stories/{id}", Story).ExcludeFromDescription();
        app.MapGet("/static/site.css", () => Results.Text(PageStyle.Css, "text/css; charset=utf-8")).ExcludeFromDescription();
    }

    /// <summary>
    /// The front page, rendered at most once a minute while the stories stay the same (it shows relative
    /// times); no Last-Modified, since its bytes change with the minute and only the ETag can say so.
    /// </summary>
    private static IResult Index(HttpContext context, AggregatorConfig config, IStoryStore store, OutputCache cache, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var page = cache.GetOrCreate("index", () => RenderIndex(config, store, now), extra: now.Ticks / TimeSpan.TicksPerMinute);
        return Send(context, page);
    }

    private static Rendered RenderIndex(AggregatorConfig config, IStoryStore store, DateTime now)
    {
        var category = config.Categories.FirstOrDefault(c => c.Equals("World", StringComparison.OrdinalIgnoreCase)) ?? config.Categories.FirstOrDefault();
        var stories = store.QueryStories(new StoryQuery(config.Output.MaxItems, category)).Items;
        var body = new StringBuilder();
        body.Append("<header><h1>").Append(Html.Encode(config.Output.Title)).Append("</h1>");
        if (category is not null)
        {
            var slug = SyndicationApi.Slug(category);
            body.Append($"<p class=\"feeds\">{Html.Encode(category)} · <a href=\"/feeds/{slug}.rss\">RSS</a> · <a href=\"/feeds/{slug}.atom\">Atom</a> · <a href=\"/feeds/{slug}.json\">JSON Feed</a></p>");
        }
        body.Append("</header><main>");
        if (stories.Count == 0) body.Append("<p class=\"empty\">No stories yet. Feeds are being fetched; reload in a moment.</p>");
        body.Append("<ol class=\"stories\">");
        foreach (var story in stories) AppendListItem(body, story, now);
        body.Append("</ol></main>");
        return new Rendered(Encoding.UTF8.GetBytes(Html5(config.Output.Title, body.ToString())), HtmlType);
    }

    private static void AppendListItem(StringBuilder body, StoryRecord story, DateTime now)
    {
        body.Append("<li class=\"story\">");
        if (Emitted.Url(story.ImageUrl) is { } image) body.Append($"<img src=\"{Html.Encode(image)}\" alt=\"\" loading=\"lazy\">");
        body.Append($"<h2><a href=\"/stories/{Html.Encode(story.Id)}\">{Html.Encode(story.Title)}</a></h2><p class=\"meta\">");
        var first = story.Sources[0];
        body.Append(Emitted.Url(first.Url) is not { } firstUrl ? Html.Encode(first.Title ?? first.FeedId)
            : $"<a href=\"{Html.Encode(firstUrl)}\" rel=\"noopener noreferrer\">{Html.Encode(first.Title ?? first.FeedId)}</a>");
        if (story.Sources.Count > 1) body.Append($" <span class=\"more\">+{story.Sources.Count - 1} more</span>");
        var published = Emitted.Time(story.Published, now);
        body.Append($" · <time datetime=\"{published:yyyy-MM-dd'T'HH:mm:ss'Z'}\">{Html.Encode(RelativeTime(published, now))}</time></p>");
        if (story.Summary is not null) body.Append("<p class=\"summary\">").Append(Html.Encode(story.Summary)).Append("</p>");
        body.Append("</li>");
    }

    private static IResult Story(string id, HttpContext context, AggregatorConfig config, IStoryStore store, OutputCache cache, TimeProvider time)
    {
        if (cache.GetOrCreateFound(("story", id), () => RenderStory(id, config, store, time.GetUtcNow().UtcDateTime)) is { } page) return Send(context, page);
        context.Response.Headers.ContentSecurityPolicy = Csp;
        return Results.Content(NotFound, HtmlType, Encoding.UTF8, StatusCodes.Status404NotFound);
    }

    private static readonly string NotFound = Html5("Not found", "<main><h1>Story not found</h1><p><a href=\"/\">Back to the front page</a></p></main>");

    private static Rendered? RenderStory(string id, AggregatorConfig config, IStoryStore store, DateTime now)
    {
        if (store.GetStory(id) is not { } story) return null;
        var body = new StringBuilder();
        body.Append("<main class=\"article\"><p><a href=\"/\">← ").Append(Html.Encode(config.Output.Title)).Append("</a></p>");
        body.Append("<h1>").Append(Html.Encode(story.Title)).Append("</h1><p class=\"meta\">");
        if (story.Byline is not null) body.Append(Html.Encode(story.Byline)).Append(" · ");
        var published = Emitted.Time(story.Published, now);
        body.Append($"<time datetime=\"{published:yyyy-MM-dd'T'HH:mm:ss'Z'}\">{published.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)}</time></p>");
        if (Emitted.Url(story.ImageUrl) is { } image) body.Append($"<img class=\"lead\" src=\"{Html.Encode(image)}\" alt=\"\">");
        body.Append("<article>").Append(story.Html ?? Html.Encode(story.Summary ?? "")).Append("</article>"); // Html was sanitised at ingest
        body.Append("<section class=\"sources\"><h2>Sources</h2><ul>");
        foreach (var source in story.Sources)
            body.Append($"<li><a href=\"{Html.Encode(Emitted.Url(source.Url) ?? "#")}\" rel=\"noopener noreferrer\">{Html.Encode(source.Title ?? source.FeedId)}</a> <span class=\"how\">({Html.Encode(source.MatchedBy)})</span></li>");
        body.Append("</ul></section></main>");
        return new Rendered(Encoding.UTF8.GetBytes(Html5(story.Title, body.ToString())), HtmlType, Emitted.Time(story.Updated, now));
    }

    private const string HtmlType = "text/html; charset=utf-8";

    private static IResult Send(HttpContext context, Rendered page)
    {
        context.Response.Headers.ContentSecurityPolicy = Csp;
        return Conditional.Send(context, page);
    }

    private static string Html5(string title, string body) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{Html.Encode(title)}</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body>{body}</body></html>";

    internal static string RelativeTime(DateTime then, DateTime now)
    {
        var age = now - then;
        if (age < TimeSpan.FromMinutes(1)) return "just now";
        if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes} min ago";
        if (age < TimeSpan.FromDays(1)) return $"{(int)age.TotalHours} h ago";
        if (age < TimeSpan.FromDays(7)) return $"{(int)age.TotalDays} d ago";
        return then.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    }
}
