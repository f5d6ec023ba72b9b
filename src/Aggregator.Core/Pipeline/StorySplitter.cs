using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Parsing;
using Aggregator.Core.Storage;

namespace Aggregator.Core.Pipeline;

/// <summary>
/// An operator's correction of a wrong merge: the source leaves its story and stands alone (the
/// store moves its keys and records the split, so it sticks across re-fetches); then whichever of
/// the two stories was left without a body has its representative's page fetched again.
/// </summary>
public sealed class StorySplitter(IStoryStore store, ArticleSource articles, LiveConfig config, TimeProvider time)
{
    /// <param name="feedId">Which feed's source, when several feeds carried the same URL into the story.</param>
    public async Task<SplitResult> SplitAsync(string storyId, string url, string? feedId, CancellationToken cancel)
    {
        var result = await store.SplitSourceAsync(storyId, url, Now, feedId).ConfigureAwait(false);
        if (result.Outcome != SplitOutcome.Split) return result;
        var from = await FillBodyAsync(result.From!, cancel).ConfigureAwait(false);
        var to = await FillBodyAsync(result.To!, cancel).ConfigureAwait(false);
        return result with { From = from, To = to };
    }

    private async Task<StoryRecord> FillBodyAsync(StoryRecord story, CancellationToken cancel)
    {
        var source = story.Sources[0];
        if (story.BodyUrl is not null || source.Url is null || config.Current.FindFeed(source.FeedId) is not { FullText: true } feed) return story;
        var article = await articles.FetchAsync(feed, source.Url, cancel).ConfigureAwait(false);
        if (article is null || article.Text.Length == 0) return story;
        var item = new ParsedItem(source.ItemId, source.ItemTitle, source.Url, null, null, null, source.Published, null, [], [], [], []);
        return await store.UpdateStoryAsync(story.Id, s =>
        {
            StoryBuilder.ApplyBody(s, item, article, source.Url);
            s.Updated = Now;
            return true;
        }, feed.Id, StoryKeys.ForArticle(article), MinHash.Compute(article.Text)).ConfigureAwait(false) ?? story;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
