using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
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
public sealed class FeedIngestor(HttpFetcher fetcher, ArticleSource articles, StoryStore store, AggregatorConfig config, TimeProvider time, ILogger<FeedIngestor> logger)
{
    private readonly FeedHealth _health = new(store, config, time);

    public const int MaxItemsPerFetch = 500;
    private const int ArticleParallelism = 4;
    private const string FeedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

    public async Task<FeedRunSummary> IngestAsync(FeedConfig feed, CancellationToken cancel)
    {
        var state = store.GetFeedState(feed.Id);
        state.LastFetched = Now;
        // A permanent move recorded after a successful fetch is followed from then on.
        var url = state.MovedTo is { } moved && Uri.TryCreate(moved, UriKind.Absolute, out var movedUrl) ? movedUrl : feed.Url;
        var response = await fetcher.FetchAsync(new FetchRequest(url, state.ETag, state.LastModified, FeedAccept), cancel).ConfigureAwait(false);
        if (response.Outcome == FetchOutcome.Failed) return await FailAsync(feed, state, response.Error!.Class, response.Error.Message, response.RetryAfter).ConfigureAwait(false);
        if (response.Outcome == FetchOutcome.NotModified)
            return await _health.SucceededAsync(feed, state, response, null, FeedStatus.NotModified, new ItemCounts()).ConfigureAwait(false);

        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(response.Body, response.ContentType, response.FinalUrl);
        }
        catch (FeedParseException e)
        {
            return await FailAsync(feed, state, e.Message.Contains("not a feed", StringComparison.Ordinal) ? "not-a-feed" : "parse", e.Message, null).ConfigureAwait(false);
        }
        var counts = await IngestItemsAsync(feed, parsed, cancel).ConfigureAwait(false);
        return await _health.SucceededAsync(feed, state, response, parsed, FeedStatus.Ok, counts).ConfigureAwait(false);
    }

    private async Task<ItemCounts> IngestItemsAsync(FeedConfig feed, ParsedFeed parsed, CancellationToken cancel)
    {
        var outlet = feed.Title ?? parsed.Title ?? feed.Id;
        var counts = new ItemCounts();
        var items = parsed.Items.Take(MaxItemsPerFetch);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ArticleParallelism, CancellationToken = cancel };
        await Parallel.ForEachAsync(items, options, async (item, token) =>
        {
            try
            {
                counts.Add(await IngestItemAsync(feed, outlet, item, token).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Feed {FeedId}: item {ItemId} failed", feed.Id, item.Id ?? item.Link);
                counts.Add(ItemOutcome.Failed);
            }
        }).ConfigureAwait(false);
        return counts;
    }

    private async Task<ItemOutcome> IngestItemAsync(FeedConfig feed, string outlet, ParsedItem item, CancellationToken cancel)
    {
        var keys = StoryKeys.ForItem(feed.Id, item);
        if (keys.Count == 0) return ItemOutcome.Failed;
        if (store.FindStory(keys) is var (existing, matchedBy)) return await UpdateKnownAsync(feed, outlet, item, existing, matchedBy, keys).ConfigureAwait(false);

        var article = feed.FullText ? await articles.FetchAsync(feed, item.Link, cancel).ConfigureAwait(false) : null;
        var body = StoryBuilder.Body(item, article);
        var allKeys = keys.Concat(StoryKeys.ForArticle(body)).DistinctBy(k => k.Hash).ToList();
        var story = StoryBuilder.Create(feed, outlet, item, body, allKeys, Now);
        var (_, created) = await store.AddOrAttachAsync(story, allKeys, Now, MinHash.Signature(body.Text)).ConfigureAwait(false);
        return created ? ItemOutcome.New : ItemOutcome.Duplicate;
    }

    /// <summary>An item we already have: a new feed or URL for it joins as a source; a changed title updates the story.</summary>
    private async Task<ItemOutcome> UpdateKnownAsync(FeedConfig feed, string outlet, ParsedItem item, string storyId, string matchedBy, IReadOnlyList<StoryKey> keys)
    {
        var story = store.GetStory(storyId);
        if (story is null) return ItemOutcome.Failed;
        var mine = story.Sources.FirstOrDefault(s => s.FeedId == feed.Id && (s.ItemId == item.Id || s.Url == UrlCanonicalizer.WithoutTracking(item.Link)));
        if (mine is null)
        {
            var source = StoryBuilder.Source(feed, outlet, item, Now);
            source.MatchedBy = matchedBy;
            await store.AttachSourceAsync(storyId, source, keys, Now).ConfigureAwait(false);
            return ItemOutcome.Duplicate;
        }
        var title = StoryBuilder.Plain(item.Title);
        if (title is null || title == mine.ItemTitle) return ItemOutcome.Duplicate;
        mine.ItemTitle = title;
        if (story.Sources[0] == mine) story.Title = title;
        story.Updated = Now;
        await store.UpdateStoryAsync(story).ConfigureAwait(false);
        return ItemOutcome.Updated;
    }

    private Task<FeedRunSummary> FailAsync(FeedConfig feed, FeedStateRecord state, string errorClass, string message, DateTimeOffset? retryAfter)
    {
        logger.LogWarning("Feed {FeedId} failed ({ErrorClass}): {Error}", feed.Id, errorClass, message);
        return _health.FailedAsync(feed, state, errorClass, message, retryAfter);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

}

internal enum ItemOutcome { New, Updated, Duplicate, Failed }

/// <summary>Per-outcome item counters, safe to bump from parallel item tasks.</summary>
internal sealed class ItemCounts
{
    private readonly int[] _counts = new int[4];
    public int New => _counts[(int)ItemOutcome.New];
    public int Updated => _counts[(int)ItemOutcome.Updated];
    public int Duplicate => _counts[(int)ItemOutcome.Duplicate];
    public int Failed => _counts[(int)ItemOutcome.Failed];

    public void Add(ItemOutcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);
}
