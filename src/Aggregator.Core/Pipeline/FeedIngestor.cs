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
public sealed class FeedIngestor(HttpFetcher fetcher, ArticleSource articles, StoryStore store, TimeProvider time, ILogger<FeedIngestor> logger)
{
    public const int MaxItemsPerFetch = 500;
    private const int ArticleParallelism = 4;
    private const string FeedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

    public async Task<FeedRunSummary> IngestAsync(FeedConfig feed, CancellationToken cancel)
    {
        var state = store.GetFeedState(feed.Id);
        state.LastFetched = Now;
        var response = await fetcher.FetchAsync(new FetchRequest(feed.Url, state.ETag, state.LastModified, FeedAccept), cancel).ConfigureAwait(false);
        if (response.Outcome == FetchOutcome.Failed) return await FailAsync(feed, state, response.Error!.Class, response.Error.Message).ConfigureAwait(false);
        if (response.Outcome == FetchOutcome.NotModified) return await SucceedAsync(state, response, FeedStatus.NotModified, new Counts()).ConfigureAwait(false);

        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(response.Body, response.ContentType, response.FinalUrl);
        }
        catch (FeedParseException e)
        {
            return await FailAsync(feed, state, e.Message.Contains("not a feed", StringComparison.Ordinal) ? "not-a-feed" : "parse", e.Message).ConfigureAwait(false);
        }
        var counts = await IngestItemsAsync(feed, parsed, cancel).ConfigureAwait(false);
        return await SucceedAsync(state, response, FeedStatus.Ok, counts).ConfigureAwait(false);
    }

    private async Task<Counts> IngestItemsAsync(FeedConfig feed, ParsedFeed parsed, CancellationToken cancel)
    {
        var outlet = feed.Title ?? parsed.Title ?? feed.Id;
        var counts = new Counts();
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
        var (_, created) = await store.AddOrAttachAsync(story, allKeys, Now).ConfigureAwait(false);
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

    private async Task<FeedRunSummary> SucceedAsync(FeedStateRecord state, FetchResponse response, string status, Counts counts)
    {
        // RFC 9111 §4.3.4: a 304 may carry fresher validators; keep whatever the server sent last.
        state.ETag = response.ETag ?? state.ETag;
        state.LastModified = response.LastModified ?? state.LastModified;
        state.Status = status;
        state.LastSucceeded = Now;
        state.ConsecutiveFailures = 0;
        state.Error = state.ErrorClass = null;
        await store.SaveFeedStateAsync(state).ConfigureAwait(false);
        return new FeedRunSummary(state.Id, status, counts.New, counts.Updated, counts.Duplicate, counts.Failed, null);
    }

    private async Task<FeedRunSummary> FailAsync(FeedConfig feed, FeedStateRecord state, string errorClass, string message)
    {
        logger.LogWarning("Feed {FeedId} failed ({ErrorClass}): {Error}", feed.Id, errorClass, message);
        state.Status = FeedStatus.Failing;
        state.ConsecutiveFailures++;
        state.Error = message;
        state.ErrorClass = errorClass;
        await store.SaveFeedStateAsync(state).ConfigureAwait(false);
        return new FeedRunSummary(feed.Id, FeedStatus.Failing, 0, 0, 0, 0, message);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private enum ItemOutcome { New, Updated, Duplicate, Failed }

    private sealed class Counts
    {
        private readonly int[] _counts = new int[4];
        public int New => _counts[(int)ItemOutcome.New];
        public int Updated => _counts[(int)ItemOutcome.Updated];
        public int Duplicate => _counts[(int)ItemOutcome.Duplicate];
        public int Failed => _counts[(int)ItemOutcome.Failed];

        public void Add(ItemOutcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);
    }
}
