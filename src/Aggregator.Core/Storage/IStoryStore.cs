using Aggregator.Core.Dedup;

namespace Aggregator.Core.Storage;

/// <summary>
/// What the pipeline and the API need of a store, whichever engine keeps it (LiteDB embedded, or
/// PostgreSQL for several nodes). A store only persists and answers: matching, the representative,
/// splits and boilerplate learning are pure functions (<see cref="StoryMatcher"/>,
/// <see cref="Representative"/>, <see cref="SplitRule"/>, <see cref="Pipeline.BoilerplateLearning"/>)
/// that every store calls inside its own write. Writes complete once durable; a storage fault fails
/// them with <see cref="StorageFaultException"/> and shows in <see cref="Health"/>.
/// </summary>
public interface IStoryStore : IDisposable
{
    /// <summary>Where writes stand, and whether a read found damage: <c>/health</c> reports it.</summary>
    StoreHealth Health { get; }

    /// <summary>Changes whenever committed data changes; outputs derived from the data can be cached per version.</summary>
    long Version { get; }

    int StoryCount { get; }

    /// <summary>The newest publication time stored (MinValue when empty): the reference for retention, instead of the clock.</summary>
    DateTime NewestPublished { get; }

    /// <summary>Bytes the store occupies (file and log, or tables and indexes).</summary>
    long StorageBytes { get; }

    /// <summary>A read met a damaged page: reported by <c>/health</c>.</summary>
    void ReportDamage(Exception e);

    /// <summary>The story that one of the keys already names (committed data), and the kind of the key that matched.</summary>
    (string StoryId, string MatchedBy)? FindStory(IEnumerable<StoryKey> keys);

    /// <summary>Stores a new story unless <see cref="StoryMatcher"/> finds the one it belongs to; then its source joins that story.</summary>
    Task<(string StoryId, bool Created)> AddOrAttachAsync(StoryRecord candidate, IReadOnlyList<StoryKey> keys, DateTime now, TextSignature? signature = null);

    /// <summary>Adds a source to an existing story (another outlet, or another URL of the same article).</summary>
    Task<StoryRecord?> AttachSourceAsync(string storyId, StorySource source, IEnumerable<StoryKey> keys, DateTime now);

    /// <summary>Changes a story on its latest committed state; <paramref name="change"/> returns false to leave it as it was.</summary>
    Task<StoryRecord?> UpdateStoryAsync(string storyId, Func<StoryRecord, bool> change, string? feedId = null,
        IReadOnlyList<StoryKey>? keys = null, TextSignature? signature = null);

    /// <summary>Deletes stories; their keys stay behind as tombstones.</summary>
    Task<int> DeleteStoriesAsync(IReadOnlyCollection<string> ids, DateTime now);

    /// <summary>Forgets tombstones of stories deleted before <paramref name="deletedBefore"/> (at most <paramref name="limit"/> per call).</summary>
    Task<int> PurgeTombstonesAsync(DateTime deletedBefore, int limit = 1000);

    /// <summary>Ids of stories published before <paramref name="publishedBefore"/>, or beyond the newest <paramref name="maxStories"/>.</summary>
    IReadOnlyList<string> FindExpired(DateTime publishedBefore, int maxStories, int limit);

    /// <summary>An operator's correction (see <see cref="SplitRule"/>).</summary>
    Task<SplitResult> SplitSourceAsync(string storyId, string url, DateTime now, string? feedId = null);

    Task SaveFeedStateAsync(FeedStateRecord state);

    FeedStateRecord GetFeedState(string feedId);

    /// <summary>After bulk deletes: whatever the engine needs to give space back (LiteDB checkpoints its log).</summary>
    Task CheckpointAsync();

    IReadOnlySet<long> LearnedBoilerplateFor(string site);

    IReadOnlyList<SiteProfileRecord> SiteProfiles();

    /// <summary>Adds an article's short paragraphs to its site's profile (see <see cref="Pipeline.BoilerplateLearning"/>); returns the lines learned now.</summary>
    Task<IReadOnlyList<LearnedLineRecord>> RecordSiteArticleAsync(string site, string url, IReadOnlyList<(long Fingerprint, string Text)> paragraphs,
        DateTime now, int window, int minArticles);

    StoryRecord? GetStory(string id);

    StoryPage QueryStories(StoryQuery query);

    /// <summary>Stories per feed id (a story counts for every feed that carried it).</summary>
    IReadOnlyDictionary<string, int> CountStoriesByFeed();

    /// <summary>The id of the newest committed outbox event (0 when none ever was).</summary>
    long LatestEventId { get; }

    /// <summary>Committed outbox events with an id above <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<OutboxEventRecord> ReadEvents(long afterId, int limit);

    /// <summary>Deletes outbox events older than <paramref name="olderThan"/> or beyond the newest <paramref name="maxEvents"/>; the newest one always stays.</summary>
    Task<int> TrimOutboxAsync(DateTime olderThan, int maxEvents);

    /// <summary>
    /// Whether this process delivers <paramref name="hookId"/> now, so that each event is POSTed by one
    /// node: on LiteDB always (one process owns the file); on PostgreSQL the node holding the hook's
    /// session lock, which another node takes over when that one stops, dies or loses its connection.
    /// Asked before each delivery round; false while the server cannot be reached.
    /// </summary>
    bool ClaimWebhook(string hookId);

    /// <summary>A webhook's delivery state, or null before its first delivery round.</summary>
    WebhookStateRecord? GetWebhookState(string hookId);

    Task SaveWebhookStateAsync(WebhookStateRecord state);

    // --- Filters (issue 16): a blocked item is remembered by its keys, never stored as a story. ---

    /// <summary>
    /// Remembers an item the feed's filters blocked, by <see cref="StoryKeys.ForBlocked"/> keys (found
    /// by <see cref="FindStory"/> with kind <see cref="StoryKeys.Blocked"/>), as a tombstone: it is
    /// forgotten with the other tombstones after <c>retention.tombstoneDays</c>.
    /// </summary>
    Task RememberBlockedAsync(string feedId, IReadOnlyList<StoryKey> blockedKeys, DateTime now);

    /// <summary>Blocked items remembered, per feed id.</summary>
    IReadOnlyDictionary<string, int> CountBlockedByFeed();
}
