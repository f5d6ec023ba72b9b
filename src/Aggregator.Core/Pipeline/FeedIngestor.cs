using System.Diagnostics;
using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Extraction;
using Aggregator.Core.Fetching;
using Aggregator.Core.Parsing;
using Aggregator.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Aggregator.Core.Pipeline;

/// <summary>
/// One pass over one feed through the whole pipeline: fetch (conditional) → parse → per item:
/// dedup by GUID/link before any page fetch → article fetch and extraction → dedup by canonical
/// URL and text → store → record the feed's state. The scheduler and <c>aggregator fetch</c> both call this.
/// </summary>
public sealed class FeedIngestor(HttpFetcher fetcher, ArticleSource articles, IStoryStore store, LiveConfig config, TimeProvider time, ILogger<FeedIngestor> logger)
{
    private readonly FeedHealth _health = new(store, config, time);
    private readonly FilterStep _filters = new(store, config, logger);

    public const int MaxItemsPerFetch = 500;
    private const int ArticleParallelism = 4;
    /// <summary>How many times an article page that gave no body is fetched (once new, then on later polls).</summary>
    private const int MaxBodyFetches = 3;
    private const string FeedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

    /// <summary>
    /// Never throws but for cancellation: a fetch, parse or storage failure is recorded on the feed.
    /// When the store cannot write, the feed is marked failing with the reason and its validators are
    /// left as they were, so the next poll fetches the same items again: nothing is lost.
    /// </summary>
    public async Task<FeedRunSummary> IngestAsync(FeedConfig feed, CancellationToken cancel)
    {
        try
        {
            return await PollAsync(feed, cancel).ConfigureAwait(false);
        }
        catch (StorageFaultException e)
        {
            return await FailAsync(feed, LastKnownState(feed.Id), FeedHealth.StorageError, e.Message, null).ConfigureAwait(false);
        }
    }

    /// <summary>The feed's state, or a fresh one while the store cannot even be read.</summary>
    private FeedStateRecord LastKnownState(string feedId)
    {
        try
        {
            return store.GetFeedState(feedId);
        }
        catch (StorageFaultException)
        {
            return new FeedStateRecord { Id = feedId };
        }
    }

    private async Task<FeedRunSummary> PollAsync(FeedConfig feed, CancellationToken cancel)
    {
        var state = store.GetFeedState(feed.Id);
        state.LastFetched = Now;
        // A permanent move recorded after a successful fetch is followed from then on.
        var url = state.MovedTo is { } moved && Uri.TryCreate(moved, UriKind.Absolute, out var movedUrl) ? movedUrl : feed.Url;
        var started = Stopwatch.GetTimestamp();
        var response = await fetcher.FetchAsync(new FetchRequest(url, state.ETag, state.LastModified, FeedAccept) { Site = SiteHttp.For(feed) }, cancel).ConfigureAwait(false);
        PipelineMetrics.Fetched("feed", response.Outcome switch
        {
            FetchOutcome.Ok => "ok",
            FetchOutcome.NotModified => "not-modified",
            _ => response.Error!.Class,
        }, Stopwatch.GetElapsedTime(started));
        if (response.Outcome == FetchOutcome.Failed) return await FailAsync(feed, state, response.Error!.Class, response.Error.Message, response.RetryAfter).ConfigureAwait(false);
        if (response.Outcome == FetchOutcome.NotModified)
            return await _health.SucceededAsync(feed, state, response, null, FeedStatus.NotModified, new ItemCounts()).ConfigureAwait(false);

        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(response.Body, response.ContentType, response.FinalUrl, response.ContentLanguage);
        }
        catch (FeedParseException e)
        {
            return await FailAsync(feed, state, e.Message.Contains("not a feed", StringComparison.Ordinal) ? "not-a-feed" : "parse", e.Message, null).ConfigureAwait(false);
        }
        var counts = await IngestItemsAsync(feed, state, parsed, cancel).ConfigureAwait(false);
        if (counts.StorageError is { } storageError)
            return await FailAsync(feed, state, FeedHealth.StorageError, $"{storageError} ({counts.Failed} items not stored; they are fetched again next time)", null, counts).ConfigureAwait(false);
        return await _health.SucceededAsync(feed, state, response, parsed, FeedStatus.Ok, counts).ConfigureAwait(false);
    }

    private async Task<ItemCounts> IngestItemsAsync(FeedConfig feed, FeedStateRecord state, ParsedFeed parsed, CancellationToken cancel)
    {
        var outlet = feed.Title ?? parsed.Title ?? feed.Id;
        var counts = new ItemCounts();
        var items = parsed.Items.Take(MaxItemsPerFetch).ToList();
        var identity = ItemIdentity.Assess(items);
        var retention = config.Current.Retention;
        var newestIncoming = items.Select(i => i.Published?.UtcDateTime).Max();
        var cutoff = Retention.Cutoff(retention, Retention.Reference(Now, store.NewestPublished, newestIncoming));
        if (!identity.UseGuids && state.Identity != "link") logger.LogWarning("Feed {FeedId}: {Note}", feed.Id, identity.Note);
        (state.Identity, state.IdentityNote) = identity.UseGuids ? ("guid", null) : ("link", identity.Note);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ArticleParallelism, CancellationToken = cancel };
        await Parallel.ForEachAsync(items, options, async (item, token) =>
        {
            if (item.Published?.UtcDateTime < cutoff)
            {
                counts.Add(ItemOutcome.Old);
                return;
            }
            try
            {
                counts.Add(await IngestItemAsync(feed, outlet, item, identity, token).ConfigureAwait(false));
            }
            catch (StorageFaultException e)
            {
                counts.StorageFailed(e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Feed {FeedId}: item {ItemId} failed", feed.Id, item.Id ?? item.Link);
                counts.Add(ItemOutcome.Failed);
            }
        }).ConfigureAwait(false);
        return counts;
    }

    private async Task<ItemOutcome> IngestItemAsync(FeedConfig feed, string outlet, ParsedItem item, ItemIdentity identity, CancellationToken cancel)
    {
        var keys = StoryKeys.ForItem(feed.Id, item, identity);
        if (keys.Count == 0) return ItemOutcome.Failed;
        // One lookup: the keys this feed remembers as blocked first, then the stories'.
        var found = store.FindStory(StoryKeys.ForBlocked(feed.Id, keys).Concat(keys));
        if (found is (_, StoryKeys.Blocked)) return ItemOutcome.Blocked;
        if (found is var (existing, matchedBy))
        {
            // A GUID the feed now uses for another link is not the same item.
            if (matchedBy == StoryKeys.Guid && GuidReused(existing, feed, item)) keys = keys.Where(k => k.Kind != StoryKeys.Guid).ToList();
            else return await UpdateKnownAsync(feed, outlet, item, existing, matchedBy, keys, cancel).ConfigureAwait(false);
            if (store.FindStory(keys) is var (other, otherMatch)) return await UpdateKnownAsync(feed, outlet, item, other, otherMatch, keys, cancel).ConfigureAwait(false);
        }

        if (_filters.PreCheck(feed, item) is { Blocked: true } early) return await BlockAsync(feed, item, keys, early).ConfigureAwait(false);
        var article = feed.FullText ? await articles.FetchAsync(feed, StoryBuilder.ArticleLink(item), cancel).ConfigureAwait(false) : null;
        var body = StoryBuilder.Body(item, article);
        if (_filters.Check(feed, item, body.Title, body.Text, body.Byline, body.CanonicalUrl) is { Blocked: true } verdict)
            return await BlockAsync(feed, item, keys, verdict).ConfigureAwait(false);
        var allKeys = keys.Concat(StoryKeys.ForArticle(body)).DistinctBy(k => k.Hash).ToList();
        var story = StoryBuilder.Create(feed, outlet, item, body, allKeys, Now);
        var (_, created) = await store.AddOrAttachAsync(story, allKeys, Now, MinHash.Compute(body.Text)).ConfigureAwait(false);
        if (created) PipelineMetrics.StoryCreated();
        else PipelineMetrics.Merged(story.Sources[0].MatchedBy);
        return created ? ItemOutcome.New : ItemOutcome.Duplicate;
    }

    private async Task<ItemOutcome> BlockAsync(FeedConfig feed, ParsedItem item, IReadOnlyList<StoryKey> keys, Filtering.FilterVerdict verdict)
    {
        await _filters.RememberAsync(feed, item, keys, verdict, Now).ConfigureAwait(false);
        return ItemOutcome.Blocked;
    }

    private bool GuidReused(string storyId, FeedConfig feed, ParsedItem item)
    {
        var link = UrlCanonicalizer.Canonicalize(StoryBuilder.ArticleLink(item));
        var mine = store.GetStory(storyId)?.Sources.FirstOrDefault(s => s.FeedId == feed.Id && s.ItemId == item.Id);
        return link is not null && mine is not null && UrlCanonicalizer.Canonicalize(mine.Url) is { } known && known != link;
    }

    /// <summary>
    /// An item we already have. Another feed or URL for it joins as a source. Our own source: a new
    /// title or a later <c>updated</c> time updates the story (the page is fetched again when its
    /// body came from this source), and a body that failed to fetch is retried a few times.
    /// A deleted story's keys are tombstones: nothing comes back.
    /// </summary>
    private async Task<ItemOutcome> UpdateKnownAsync(FeedConfig feed, string outlet, ParsedItem item, string storyId, string matchedBy, IReadOnlyList<StoryKey> keys, CancellationToken cancel)
    {
        var story = store.GetStory(storyId);
        if (story is null) return ItemOutcome.Duplicate;
        var link = UrlCanonicalizer.WithoutTracking(StoryBuilder.ArticleLink(item));
        var mine = story.Sources.FirstOrDefault(s => s.FeedId == feed.Id && (s.ItemId == item.Id || s.Url == link));
        if (mine is null)
        {
            // New to this feed: its rules judge it, with the body already stored for the story.
            if (_filters.Check(feed, item, story.Title, story.Text, story.Byline, story.Url) is { Blocked: true } verdict)
                return await BlockAsync(feed, item, keys, verdict).ConfigureAwait(false);
            var source = StoryBuilder.Source(feed, outlet, item, Now);
            source.MatchedBy = matchedBy;
            await store.AttachSourceAsync(storyId, source, keys, Now).ConfigureAwait(false);
            PipelineMetrics.Merged(matchedBy);
            return ItemOutcome.Duplicate;
        }
        var title = StoryBuilder.Plain(item.Title);
        var itemUpdated = item.Updated?.UtcDateTime;
        var textChanged = itemUpdated > mine.ItemUpdated && mine.ItemUpdated is not null;
        var ownsBody = story.BodyUrl is null ? story.Sources[0] == mine : story.BodyUrl == mine.Url;
        var retryBody = string.IsNullOrEmpty(story.Text) && ownsBody && feed.FullText && mine.Fetches < MaxBodyFetches;
        if ((title is null || title == mine.ItemTitle) && itemUpdated == mine.ItemUpdated && !retryBody) return ItemOutcome.Duplicate;

        ExtractedArticle? body = null;
        if ((textChanged && ownsBody) || retryBody)
        {
            var article = feed.FullText ? await articles.FetchAsync(feed, mine.Url, cancel).ConfigureAwait(false) : null;
            body = StoryBuilder.Body(item, article);
            if (body.Text.Length == 0) body = null;
        }
        var changed = title is not null && title != mine.ItemTitle || textChanged || body is not null;
        await store.UpdateStoryAsync(storyId, s =>
        {
            if (s.Sources.FirstOrDefault(x => x.FeedId == mine.FeedId && x.Url == mine.Url) is not { } source) return false;
            if (retryBody) source.Fetches++;
            source.ItemUpdated = itemUpdated ?? source.ItemUpdated;
            if (title is not null && title != source.ItemTitle)
            {
                source.ItemTitle = title;
                if (s.Sources[0] == source) s.Title = title;
            }
            if (body is not null) StoryBuilder.ApplyBody(s, item, body, source.Url);
            if (changed) s.Updated = Now;
            return true;
        }, feed.Id, body is null ? null : StoryKeys.ForArticle(body), body is null ? null : MinHash.Compute(body.Text)).ConfigureAwait(false);
        return changed ? ItemOutcome.Updated : ItemOutcome.Duplicate;
    }

    private Task<FeedRunSummary> FailAsync(FeedConfig feed, FeedStateRecord state, string errorClass, string message, DateTimeOffset? retryAfter, ItemCounts? counts = null)
    {
        logger.LogWarning("Feed {FeedId} failed ({ErrorClass}): {Error}", feed.Id, errorClass, message);
        PipelineMetrics.FeedFailed(errorClass);
        return _health.FailedAsync(feed, state, errorClass, message, retryAfter, counts);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

}

internal enum ItemOutcome { New, Updated, Duplicate, Failed, Old, Blocked }

/// <summary>Per-outcome item counters, safe to bump from parallel item tasks.</summary>
internal sealed class ItemCounts
{
    private readonly int[] _counts = new int[6];
    public int New => _counts[(int)ItemOutcome.New];
    public int Updated => _counts[(int)ItemOutcome.Updated];
    public int Duplicate => _counts[(int)ItemOutcome.Duplicate];
    public int Failed => _counts[(int)ItemOutcome.Failed];
    /// <summary>Items published before the retention cutoff: not stored.</summary>
    public int Old => _counts[(int)ItemOutcome.Old];
    /// <summary>Items the filters blocked (now or on an earlier poll): not stored.</summary>
    public int Blocked => _counts[(int)ItemOutcome.Blocked];

    private string? _storageError;

    /// <summary>The first storage fault met by an item of this poll, if any.</summary>
    public string? StorageError => Volatile.Read(ref _storageError);

    public void Add(ItemOutcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);

    public void StorageFailed(string error)
    {
        Interlocked.CompareExchange(ref _storageError, error, null);
        Add(ItemOutcome.Failed);
    }
}
