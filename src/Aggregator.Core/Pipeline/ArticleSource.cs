using System.Diagnostics;
using Aggregator.Core.Configuration;
using Aggregator.Core.Extraction;
using Aggregator.Core.Fetching;
using Aggregator.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Aggregator.Core.Pipeline;

/// <summary>Fetches an item's article page through the shared fetcher and extracts its body.</summary>
public sealed class ArticleSource(HttpFetcher fetcher, IStoryStore store, TimeProvider time, ILogger<ArticleSource> logger)
{
    /// <summary>Feeds the site's profile with this article's short paragraphs; logs what it learns.</summary>
    private async Task LearnAsync(FeedConfig feed, string site, Uri url, ExtractedArticle article)
    {
        var candidates = LearnedBoilerplate.Candidates(article.Paragraphs);
        var learned = await store.RecordSiteArticleAsync(site, url.ToString(), candidates, time.GetUtcNow().UtcDateTime,
            LearnedBoilerplate.Window, LearnedBoilerplate.MinArticles).ConfigureAwait(false);
        foreach (var line in learned)
            logger.LogInformation("Feed {FeedId}: learned boilerplate of {Site} (in {Articles} of its last {Window} articles): {Line}",
                feed.Id, site, line.Articles, LearnedBoilerplate.Window, line.Text);
    }

    private const string HtmlAccept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

    public async Task<ExtractedArticle?> FetchAsync(FeedConfig feed, string? link, CancellationToken cancel)
    {
        if (link is null || !Uri.TryCreate(link, UriKind.Absolute, out var url)) return null;
        var started = Stopwatch.GetTimestamp();
        var response = await fetcher.FetchAsync(new FetchRequest(url, Accept: HtmlAccept) { Site = SiteHttp.For(feed) }, cancel).ConfigureAwait(false);
        PipelineMetrics.Fetched("article", response.Outcome == FetchOutcome.Failed ? response.Error!.Class : "ok", Stopwatch.GetElapsedTime(started));
        if (response.Outcome != FetchOutcome.Ok)
        {
            logger.LogWarning("Feed {FeedId}: article {Url} not fetched: {Error}", feed.Id, url, response.Error);
            return null;
        }
        if (response.ContentType is { } type && !type.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("Feed {FeedId}: article {Url} is {ContentType}, not HTML", feed.Id, url, type);
            return null;
        }
        started = Stopwatch.GetTimestamp();
        var site = LearnedBoilerplate.SiteOf(response.FinalUrl)!;
        ExtractedArticle article;
        try
        {
            article = ArticleExtractor.Extract(response.Body, response.ContentType, response.FinalUrl, feed.Site, store.LearnedBoilerplateFor(site));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A page the extractor cannot take fails that page only: the item is kept with the feed's
            // own content, and the page is fetched again on later polls while the story has no text.
            PipelineMetrics.Extracted(Stopwatch.GetElapsedTime(started), "failed");
            logger.LogWarning(e, "Feed {FeedId}: article {Url} could not be extracted; keeping the feed's content", feed.Id, url);
            return null;
        }
        PipelineMetrics.Extracted(Stopwatch.GetElapsedTime(started), article.ExtractedBy);
        await LearnAsync(feed, site, response.FinalUrl, article).ConfigureAwait(false);
        // A page reached through redirects (FeedBurner, short links) is known by where it ended.
        return article.CanonicalUrl is null && response.FinalUrl != url ? article with { CanonicalUrl = response.FinalUrl.ToString() } : article;
    }
}
