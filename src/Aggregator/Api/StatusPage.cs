using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Scheduling;
using Quartz;

namespace Aggregator.Api;

/// <summary>
/// <c>GET /status</c>: feed health for people, server-rendered in the reading pages' style, no
/// JavaScript, a strict CSP; an operator route. Its split buttons are forms posting to
/// <c>POST /status/split</c> (<see cref="StatusSplit"/>).
/// </summary>
internal static class StatusPage
{
    /// <summary>As the reading pages', but forms may post to this site.</summary>
    public const string Csp = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static void Map(RouteGroupBuilder operators)
    {
        operators.MapGet("/status", RenderAsync)
            .WithSummary("Feed health for people (operator): an HTML page, one row per feed with its state, last success and error, next poll and why, stories per day for a week, identity mode; learned boilerplate per site; recent merges with a split button.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        StatusSplit.Map(operators);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, AggregatorConfig config, IStoryStore store, ISchedulerFactory schedulers, TimeProvider time, string? split = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var recent = StatusModel.RecentStories(store, now);
        var perDay = StatusModel.PerDay(recent, now);
        var blocked = store.CountBlockedByFeed();
        var scheduler = await schedulers.GetScheduler(context.RequestAborted);
        var rows = new List<FeedStatusRow>();
        foreach (var feed in config.Feeds)
        {
            var state = store.GetFeedState(feed.Id);
            var trigger = await scheduler.GetTrigger(SchedulingServices.TriggerKeyFor(feed.Id), context.RequestAborted);
            var days = perDay.GetValueOrDefault(feed.Id) ?? new int[StatusModel.Days];
            rows.Add(new FeedStatusRow(feed, state, trigger?.NextFireTimeUtc?.UtcDateTime ?? state.NextFetch, days[0], days, blocked.GetValueOrDefault(feed.Id)));
        }
        var body = new StringBuilder();
        body.Append("<header><h1>Status</h1><p class=\"feeds\"><a href=\"/\">").Append(Html.Encode(config.Output.Title)).Append("</a> · ")
            .Append(CultureInfo.InvariantCulture, $"{config.Feeds.Count} feeds · {store.StoryCount} stories · {now:yyyy-MM-dd HH:mm} UTC</p></header><main class=\"status\">");
        if (StatusSplit.Notice(split) is { } notice) body.Append("<p class=\"notice\">").Append(Html.Encode(notice)).Append("</p>");
        AppendFeeds(body, rows, now);
        AppendMerges(body, StatusModel.RecentMerges(recent), now);
        AppendBoilerplate(body, store.SiteProfiles());
        body.Append("</main>");
        context.Response.Headers.ContentSecurityPolicy = Csp;
        // Same-origin (not no-referrer) so a split form's POST carries this site's Origin; other sites still get nothing.
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        context.Response.Headers.CacheControl = "no-store";
        var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                   $"<title>Status · {Html.Encode(config.Output.Title)}</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body class=\"wide\">{body}</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static void AppendFeeds(StringBuilder body, List<FeedStatusRow> rows, DateTime now)
    {
        body.Append("<section><h2>Feeds</h2><table class=\"feeds-table\"><thead><tr><th>Feed</th><th>Status</th><th>Last success</th><th>Last error</th>")
            .Append("<th>Next poll</th><th>24 h</th><th>7 days</th><th>Identity</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            var (feed, state) = (row.Feed, row.State);
            body.Append(CultureInfo.InvariantCulture, $"<tr id=\"feed-{Html.Encode(feed.Id)}\"><td><strong>{Html.Encode(feed.Title ?? feed.Id)}</strong><br><span class=\"how\">{Html.Encode(feed.Id)} · {Html.Encode(feed.Category)}</span></td>");
            body.Append(CultureInfo.InvariantCulture, $"<td><span class=\"dot tone-{StatusModel.Tone(state)}\"></span> {Html.Encode(state.Status)}</td>");
            body.Append("<td>").Append(When(state.LastSucceeded, now, "never")).Append("</td>");
            body.Append("<td>").Append(StatusModel.ErrorInWords(state) is { } error ? Html.Encode(error) : "<span class=\"how\">none</span>").Append("</td>");
            body.Append("<td>").Append(row.NextPoll is { } next ? When(next, now, "") : "<span class=\"how\">not planned</span>");
            if (state.PlanReason is { } reason) body.Append("<br><span class=\"how\">").Append(Html.Encode(reason)).Append("</span>");
            body.Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{row.Last24Hours}{(row.Blocked > 0 ? $"<br><span class=\"how\">{row.Blocked} blocked</span>" : "")}</td>");
            body.Append("<td>").Append(StatusChart.Svg(row.LastSevenDays)).Append("</td>");
            body.Append("<td>").Append(Html.Encode(state.Identity));
            if (state.IdentityNote is { } note) body.Append("<br><span class=\"how\">").Append(Html.Encode(note)).Append("</span>");
            body.Append("</td></tr>");
        }
        body.Append("</tbody></table></section>");
    }

    private static void AppendMerges(StringBuilder body, List<MergeRow> merges, DateTime now)
    {
        body.Append("<section><h2>Recent merges</h2>");
        if (merges.Count == 0) body.Append("<p class=\"how\">No merges in the last week.</p>");
        else body.Append("<table><thead><tr><th>Story</th><th>Joined by</th><th>Reason</th><th>When</th><th></th></tr></thead><tbody>");
        foreach (var (story, source) in merges)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"/stories/{Html.Encode(story.Id)}\">{Html.Encode(story.Title)}</a></td>");
            body.Append(CultureInfo.InvariantCulture, $"<td>{Html.Encode(source.Title ?? source.FeedId)}<br><span class=\"how\">{Html.Encode(source.Url ?? "")}</span></td>");
            body.Append(CultureInfo.InvariantCulture, $"<td>{Html.Encode(source.MatchedBy)}</td><td>{When(source.FirstSeen, now, "")}</td>");
            body.Append("<td><form method=\"post\" action=\"/status/split\">")
                .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"story\" value=\"{Html.Encode(story.Id)}\">")
                .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"url\" value=\"{Html.Encode(source.Url ?? "")}\">")
                .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"feedId\" value=\"{Html.Encode(source.FeedId)}\">")
                .Append("<button type=\"submit\">Split</button></form></td></tr>");
        }
        if (merges.Count > 0) body.Append("</tbody></table>");
        body.Append("</section>");
    }

    private static void AppendBoilerplate(StringBuilder body, IReadOnlyList<SiteProfileRecord> sites)
    {
        body.Append("<section><h2>Learned boilerplate</h2>");
        var learned = sites.Where(s => s.Learned.Count > 0).ToList();
        if (learned.Count == 0) body.Append("<p class=\"how\">Nothing learned yet (a line must appear in 3 of a site's last 20 articles).</p>");
        foreach (var site in learned)
        {
            body.Append(CultureInfo.InvariantCulture, $"<h3>{Html.Encode(site.Id)} <span class=\"how\">({site.Recent.Count} recent articles)</span></h3><ul class=\"learned\">");
            foreach (var line in site.Learned.OrderByDescending(l => l.Articles))
                body.Append(CultureInfo.InvariantCulture, $"<li>{Html.Encode(line.Text)} <span class=\"how\">in {line.Articles} articles</span></li>");
            body.Append("</ul>");
        }
        body.Append("</section>");
    }

    private static string When(DateTime? time, DateTime now, string none) =>
        time is not { } t ? $"<span class=\"how\">{none}</span>"
        : $"<time datetime=\"{t:yyyy-MM-dd'T'HH:mm:ss'Z'}\">{Html.Encode(t > now ? In(t - now) : ReadingPages.RelativeTime(t, now))}</time>";

    private static string In(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? "in under a minute" : span < TimeSpan.FromHours(1) ? $"in {(int)span.TotalMinutes} min"
        : span < TimeSpan.FromDays(1) ? $"in {(int)span.TotalHours} h {span.Minutes} min" : $"in {(int)span.TotalDays} d";
}
