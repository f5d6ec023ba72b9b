using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Filtering;
using Aggregator.Core.Parsing;
using Aggregator.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Aggregator.Core.Pipeline;

/// <summary>
/// Where the pipeline meets the filters (<see cref="ItemFilter"/>): the rules in force (top level and
/// the feed's, read at each poll, so a reload applies to the items that arrive next), the subject an
/// item offers them, and remembering a blocked item's keys so it is never fetched again.
/// </summary>
internal sealed class FilterStep(IStoryStore store, LiveConfig config, ILogger logger)
{
    public bool Active(FeedConfig feed) => !config.Current.Filters.IsEmpty || feed.Filters is { IsEmpty: false };

    /// <summary>Before the page fetch: block rules that do not need the body (title, URL, author, category).</summary>
    public FilterVerdict PreCheck(FeedConfig feed, ParsedItem item) =>
        Active(feed) ? ItemFilter.PreCheck(config.Current.Filters, feed.Filters, Subject(item, null, null, null, null)) : FilterVerdict.Kept;

    /// <summary>After extraction, with the real body (or, for an item that joins a stored story, that story's body).</summary>
    public FilterVerdict Check(FeedConfig feed, ParsedItem item, string? title, string? text, string? byline, string? canonicalUrl) =>
        Active(feed) ? ItemFilter.Evaluate(config.Current.Filters, feed.Filters, Subject(item, title, text, byline, canonicalUrl)) : FilterVerdict.Kept;

    public async Task RememberAsync(FeedConfig feed, ParsedItem item, IReadOnlyList<StoryKey> keys, FilterVerdict verdict, DateTime now)
    {
        logger.LogInformation("Feed {FeedId}: item {ItemId} blocked by {Rule}", feed.Id, item.Id ?? item.Link, verdict.Reason);
        await store.RememberBlockedAsync(feed.Id, StoryKeys.ForBlocked(feed.Id, keys), now).ConfigureAwait(false);
    }

    private static FilterSubject Subject(ParsedItem item, string? title, string? text, string? byline, string? canonicalUrl)
    {
        var urls = new[] { StoryBuilder.ArticleLink(item), item.Link, canonicalUrl }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var authors = item.Authors.SelectMany(a => new[] { a.Name, a.Email }).Append(byline).OfType<string>().Where(a => a.Length > 0).ToList();
        return new FilterSubject(StoryBuilder.Plain(item.Title) ?? title, text, urls, authors, item.Categories);
    }
}
