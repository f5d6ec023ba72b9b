using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Extraction;
using Aggregator.Core.Parsing;
using Aggregator.Core.Storage;
using Aggregator.Core.Syndication;

namespace Aggregator.Core.Pipeline;

/// <summary>Turns a feed item (and its extracted article, if any) into a new story record.</summary>
internal static class StoryBuilder
{
    private const int SummaryLength = 320;

    /// <summary>The body to keep: the article page's, unless the feed's own content is longer (paywalls, teasers).</summary>
    public static ExtractedArticle Body(ParsedItem item, ExtractedArticle? article)
    {
        var fromFeed = item.Content ?? item.Summary;
        if (article is not null && (fromFeed is null || FeedText.CountWords(FeedText.Paragraphs(fromFeed)) <= article.WordCount * 1.2))
            return article;
        if (fromFeed is null) return new ExtractedArticle(null, null, null, null, null, null, "", "") { ExtractedBy = ExtractionPath.Feed };
        var feedBody = FromFragment(fromFeed, item.Link);
        return article is null ? feedBody : feedBody with { CanonicalUrl = article.CanonicalUrl, ImageUrl = article.ImageUrl };
    }

    public static StoryRecord Create(FeedConfig feed, string outlet, ParsedItem item, ExtractedArticle body, IReadOnlyList<StoryKey> keys, DateTime now)
    {
        var published = Clamp(item.Published?.UtcDateTime ?? body.Published?.UtcDateTime, now);
        var id = keys[0].Hash[..16];
        var source = Source(feed, outlet, item, now);
        var story = new StoryRecord
        {
            Id = id,
            SortKey = StoryRecord.MakeSortKey(published, id),
            Title = Plain(item.Title) ?? body.Title ?? "(untitled)",
            Url = source.Url,
            Category = feed.Category,
            Published = published,
            FirstSeen = now,
            Updated = now,
            Sources = [source],
        };
        ApplyBody(story, item, body, source.Url);
        return story;
    }

    /// <summary>Stores a body on a story (new, or an updated/refetched page), remembering which source it came from.</summary>
    public static void ApplyBody(StoryRecord story, ParsedItem item, ExtractedArticle body, string? sourceUrl)
    {
        story.Summary = Summary(item, body);
        story.Text = body.Text;
        story.Html = body.Html;
        story.Byline = item.Authors.FirstOrDefault()?.Name ?? body.Byline;
        // Only absolute http(s) images are kept (a javascript: og:image or enclosure is dropped); outputs check again.
        story.ImageUrl = Emitted.Url(body.ImageUrl)
            ?? item.Enclosures.Where(e => e.Type?.StartsWith("image/", StringComparison.Ordinal) == true).Select(e => Emitted.Url(e.Url)).FirstOrDefault(u => u is not null);
        story.Language = body.Language;
        story.BodyUrl = body.Text.Length > 0 ? sourceUrl : null;
        story.ExtractedBy = body.Text.Length > 0 ? body.ExtractedBy : null;
    }

    public static StorySource Source(FeedConfig feed, string outlet, ParsedItem item, DateTime now) => new()
    {
        FeedId = feed.Id,
        Title = outlet,
        Url = UrlCanonicalizer.WithoutTracking(ArticleLink(item)),
        ItemId = item.Id,
        ItemTitle = Plain(item.Title),
        Published = item.Published?.UtcDateTime,
        ItemUpdated = item.Updated?.UtcDateTime,
        FirstSeen = now,
        Priority = feed.Priority,
        Fetches = feed.FullText ? 1 : 0,
    };

    /// <summary>The article's own address: FeedBurner's original link, or the target of a redirect wrapper.</summary>
    public static string? ArticleLink(ParsedItem item) => item.OriginalLink ?? RedirectWrappers.Unwrap(item.Link);

    /// <summary>A date in the future (year 9999 included) is treated as "now": it must not pin a story on top.</summary>
    private static DateTime Clamp(DateTime? published, DateTime now) =>
        published is { } p && p <= now ? DateTime.SpecifyKind(p, DateTimeKind.Utc) : now;

    private static string? Summary(ParsedItem item, ExtractedArticle body)
    {
        var text = FeedText.Paragraphs(item.Summary).FirstOrDefault() ?? "";
        if (text.Length < 40) text = body.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (text.Length <= SummaryLength) return text.Length == 0 ? null : text;
        var cut = text.LastIndexOf(' ', SummaryLength);
        return text[..(cut > 0 ? cut : SummaryLength)] + "…";
    }

    /// <summary>Titles may carry markup; stories keep plain text.</summary>
    internal static string? Plain(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return null;
        var text = html.Contains('<') ? new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<body>{html}").Body!.TextContent : html;
        return TextTools.Normalize(text) is { Length: > 0 } t ? t : null;
    }

    private static ExtractedArticle FromFragment(string html, string? link) =>
        ArticleExtractor.Extract($"<html><body><div>{html}</div></body></html>", Uri.TryCreate(link, UriKind.Absolute, out var u) ? u : null)
            with { ExtractedBy = ExtractionPath.Feed };
}
