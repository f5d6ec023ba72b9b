using Aggregator.Core.Dedup;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace Aggregator.Core.Storage;

/// <summary>
/// The Storage stage: one LiteDB file per process, guarded by a lock file. Every write goes through
/// the single <see cref="StoreWriter"/> (so "look up keys, then insert" cannot race between feed
/// jobs, and commits are batched); reads run freely against committed data.
/// </summary>
public sealed class StoryStore : IStoryStore
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMinutes(5);
    /// <summary>Retention's default: the near-duplicate index holds the stories within it of the newest.</summary>
    public static readonly TimeSpan DefaultHorizon = TimeSpan.FromDays(30);
    private readonly StoreLock _lock;
    private readonly StoreWriter _writer;
    private readonly ITimer _checkpointTimer;
    private readonly TimeProvider _time;

    public string Path { get; }

    private StoryStore(string path, StoreLock storeLock, TimeSpan horizon, TimeProvider time)
    {
        Path = path;
        _lock = storeLock;
        _time = time;
        var data = StoreData.Load(path, horizon);
        _writer = new StoreWriter(data, () => StoreData.Load(path, horizon), time);
        _checkpointTimer = time.CreateTimer(_ => _ = MaintainAsync().ContinueWith(t => _ = t.Exception, TaskScheduler.Default), null, CheckpointInterval, CheckpointInterval);
        // A large index just built from the stories is saved at once, so the next start need not build it again.
        if (data.Rebuilt >= SnapshotAfterRebuild) _ = SaveSearchSnapshotAsync().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    private const int SnapshotAfterRebuild = 1000;

    /// <summary>Stories the search index was built from when the file was opened (0: it was read from its snapshot).</summary>
    internal int SearchIndexRebuilt => D.Rebuilt;

    /// <summary>Every <see cref="CheckpointInterval"/>: the search snapshot if stories changed, then the checkpoint.</summary>
    private async Task MaintainAsync()
    {
        await SaveSearchSnapshotAsync().ConfigureAwait(false);
        await CheckpointAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the search index beside the file (<c>NAME-search.bin</c>) unless the one there is current,
    /// so that the next open reads it instead of every story (see <see cref="StoreData.SaveSearchSnapshot"/>).
    /// False when the file could not be written.
    /// </summary>
    public Task<bool> SaveSearchSnapshotAsync() => _writer.WriteAsync(d => d.SaveSearchSnapshot(), transactional: false, changesStories: false);

    /// <summary>
    /// Opens (creating if needed) the database; throws <see cref="StoreLockedException"/> if another
    /// process has it, and <see cref="StoreFileException"/> (never overwriting it) if the file is not
    /// a healthy LiteDB database. <paramref name="horizon"/> bounds the near-duplicate index (retention).
    /// </summary>
    public static StoryStore Open(string path, TimeProvider time, TimeSpan? horizon = null)
    {
        StoreFile.Check(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var storeLock = StoreLock.Acquire(path);
        try
        {
            return new StoryStore(path, storeLock, horizon ?? DefaultHorizon, time);
        }
        catch (Exception e) when (e is LiteException or InvalidCastException or IndexOutOfRangeException or ArgumentException)
        {
            storeLock.Dispose();
            throw new StoreFileException(path, $"its structure is damaged ({e.Message})");
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>Where writes stand (and whether a read found damage): <c>/health</c> reports it.</summary>
    public StoreHealth Health => _writer.Health;

    /// <summary>Where the store reports faults and recoveries.</summary>
    public ILogger Logger { set => _writer.Logger = value; }

    /// <summary>A read hit a damaged page (the API reports it and answers 503).</summary>
    public void ReportDamage(Exception e) => _writer.ReportDamage(e);

    /// <summary>The open database for a reader, or a <see cref="StorageFaultException"/> while it cannot be opened.</summary>
    private StoreData D => _writer.Data ?? throw new StorageFaultException(_writer.Health.Error ?? "storage: unavailable", null);

    /// <summary>The story that one of the keys already names (committed data), and the kind of the key that matched.</summary>
    public (string StoryId, string MatchedBy)? FindStory(IEnumerable<StoryKey> keys)
    {
        var d = D;
        foreach (var key in keys)
            if (d.Index.Find(key.Hash) is { } storyId) return (storyId, key.Kind);
        return null;
    }

    /// <summary>
    /// Stores <paramref name="candidate"/> as a new story, unless one of its keys already names a
    /// story, or its body's MinHash <paramref name="signature"/> is near one published within the
    /// window (both checked by the writer, so concurrent jobs cannot both create it): then its first
    /// source joins that story, with the reason. Completes once committed.
    /// </summary>
    public Task<(string StoryId, bool Created)> AddOrAttachAsync(StoryRecord candidate, IReadOnlyList<StoryKey> keys, DateTime now, TextSignature? signature = null)
    {
        var source = candidate.Sources[0];
        return _writer.WriteAsync(d =>
        {
            var (existing, reason) = MatchForWriter(d, keys, signature, candidate.Published, source);
            if (existing is not null)
            {
                // A key of a deleted story is a tombstone: the item does not come back.
                if (d.Stories.FindById(existing) is not { } story) return (existing, false);
                source.MatchedBy = reason!;
                Attach(d, story, source, now);
                AddKeys(d, existing, source.FeedId, keys, isNew: false);
                return (existing, false);
            }
            d.InsertStory(candidate);
            d.Emit(OutboxEventTypes.StoryCreated, candidate.Id, EventTime);
            d.StoryCount++;
            if (candidate.Published > d.NewestPublished) d.NewestPublished = candidate.Published;
            AddKeys(d, candidate.Id, source.FeedId, keys, isNew: true, signature, candidate.Published);
            return (candidate.Id, true);
        });
    }

    private static (string? StoryId, string? Reason) MatchForWriter(StoreData d, IReadOnlyList<StoryKey> keys, TextSignature? signature, DateTime published, StorySource source) =>
        StoryMatcher.Match(keys, signature, published, source.FeedId, SplitFrom(d, source.FeedId, source.Url), new Lookups(d)) is var (id, reason) ? (id, reason) : (null, null);

    /// <summary>The writer's view for <see cref="StoryMatcher"/>: staged keys and signatures included.</summary>
    private sealed class Lookups(StoreData d) : IMatchLookups
    {
        public string? StoryOfKey(string keyHash) => d.Index.FindForWriter(keyHash);
        public bool CarriesFeed(string storyId, string feedId) => d.Keys.FindById(storyId)?.Feeds.Contains(feedId) ?? false;
        public (string StoryId, double Similarity)? NearDuplicate(TextSignature signature, DateTime published, Func<string, bool> excluded) =>
            d.Near.FindForWriter(signature, published, excluded);
    }

    private static HashSet<string>? SplitFrom(StoreData d, string feedId, string? url) =>
        d.SplitFrom.Count > 0 && UrlCanonicalizer.Canonicalize(url) is { } canonical && d.SplitFrom.TryGetValue((feedId, canonical), out var from) ? from : null;

    /// <summary>Adds a source to an existing story (another outlet, or another URL of the same article).</summary>
    public Task<StoryRecord?> AttachSourceAsync(string storyId, StorySource source, IEnumerable<StoryKey> keys, DateTime now) =>
        _writer.WriteAsync(d =>
        {
            var story = d.Stories.FindById(storyId);
            if (story is null) return null;
            Attach(d, story, source, now);
            AddKeys(d, storyId, source.FeedId, keys, isNew: false);
            return story;
        });

    /// <summary>
    /// Changes a story on the writer, on its latest committed state (so a source attached meanwhile
    /// is not lost); <paramref name="change"/> returns false to leave it as it was. New keys (and a
    /// new body's signature) are recorded for <paramref name="feedId"/>. Null when there is no such story.
    /// </summary>
    public Task<StoryRecord?> UpdateStoryAsync(string storyId, Func<StoryRecord, bool> change, string? feedId = null,
        IReadOnlyList<StoryKey>? keys = null, TextSignature? signature = null) =>
        _writer.WriteAsync(d =>
        {
            if (d.Stories.FindById(storyId) is not { } story) return null;
            var before = OutboxRule.Visible.Of(story);
            if (!change(story)) return story;
            d.UpdateStory(story);
            if (OutboxRule.IsNews(before, story)) d.Emit(OutboxEventTypes.StoryUpdated, storyId, EventTime);
            if (feedId is not null && (keys is { Count: > 0 } || signature is not null))
                AddKeys(d, storyId, feedId, keys ?? [], isNew: false, signature, story.Published);
            return story;
        });

    /// <summary>
    /// Deletes stories (retention, operators). Their keys stay behind as tombstones, so items that
    /// their feeds still list do not come back as new; their fingerprints and split entries go.
    /// </summary>
    public Task<int> DeleteStoriesAsync(IReadOnlyCollection<string> ids, DateTime now) =>
        _writer.WriteAsync(d =>
        {
            var deleted = 0;
            foreach (var id in ids)
            {
                if (!d.DeleteStory(id)) continue;
                deleted++;
                d.StoryCount--;
                if (d.Keys.FindById(id) is { } record)
                {
                    foreach (var feed in record.Feeds) d.Index.StageFeed(feed, -1);
                    record.Deleted = now;
                    record.Signature = null;
                    d.Keys.Update(record);
                }
                d.Splits.DeleteMany(x => x.FromStory == id || x.ToStory == id);
                _writer.OnCommit(() => d.Near.Remove(id));
            }
            return deleted;
        });

    /// <summary>Forgets tombstones of stories deleted before <paramref name="deletedBefore"/> (at most <paramref name="limit"/> per call).</summary>
    public Task<int> PurgeTombstonesAsync(DateTime deletedBefore, int limit = 1000) =>
        _writer.WriteAsync(d =>
        {
            var purged = d.Keys.Find(Query.Between(nameof(StoryKeysRecord.Deleted), DateTime.MinValue, deletedBefore), limit: limit).ToList();
            foreach (var record in purged)
            {
                if (StoryKeys.IsBlockedId(record.Id))
                    foreach (var feed in record.Feeds) d.Index.StageBlocked(feed, -1);
                foreach (var key in record.Keys)
                    if (d.Index.FindForWriter(key) == record.Id) d.Index.StageRemoval(key);
                d.Keys.Delete(record.Id);
            }
            return purged.Count;
        });

    /// <summary>
    /// Ids of stories past retention: published before <paramref name="publishedBefore"/>, or beyond
    /// the newest <paramref name="maxStories"/>. Both walk the SortKey index; at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<string> FindExpired(DateTime publishedBefore, int maxStories, int limit) => Read(d => Expired(d, publishedBefore, maxStories, limit));

    private static List<string> Expired(StoreData d, DateTime publishedBefore, int maxStories, int limit)
    {
        var old = d.Stories.Query().Where("$.SortKey < @0", StoryRecord.MakeSortKey(publishedBefore, "")).Select(s => s.Id).Limit(limit).ToList();
        if (old.Count >= limit) return old;
        var excess = d.StoryCount - maxStories;
        if (excess <= 0) return old;
        var beyond = d.Stories.Query().OrderBy("$.SortKey").Select(s => s.Id).Limit(Math.Min(excess, limit - old.Count)).ToList();
        return old.Union(beyond).ToList();
    }

    /// <summary>
    /// An operator's correction: the source with <paramref name="url"/> leaves the story and becomes
    /// a story of its own, taking its GUID and URL keys (and the body, if the body was its page). A
    /// ledger entry keeps that source from joining the story again, by key or by similar text.
    /// </summary>
    public Task<SplitResult> SplitSourceAsync(string storyId, string url, DateTime now, string? feedId = null) =>
        _writer.WriteAsync(d =>
        {
            if (d.Stories.FindById(storyId) is not { } story) return new SplitResult(SplitOutcome.NoStory, null, null);
            var canonical = UrlCanonicalizer.Canonicalize(url);
            var source = canonical is null ? null : SplitRule.FindSource(story, canonical, feedId);
            if (source is null) return new SplitResult(SplitOutcome.NoSource, story, null);
            if (story.Sources.Count == 1) return new SplitResult(SplitOutcome.OnlySource, story, null);

            var split = SplitRule.SplitOff(story, source, canonical!, now);
            d.UpdateStory(story);
            d.InsertStory(split);
            d.StoryCount++;
            d.Emit(OutboxEventTypes.StoryUpdated, storyId, EventTime);
            d.Emit(OutboxEventTypes.StoryCreated, split.Id, EventTime);

            var moved = SplitRule.KeysThatMove(source).Where(h => d.Index.FindForWriter(h) == storyId).ToList();
            if (d.Keys.FindById(storyId) is { } record)
            {
                record.Keys.RemoveAll(moved.Contains);
                if (story.Sources.All(s => s.FeedId != source.FeedId) && record.Feeds.Remove(source.FeedId)) d.Index.StageFeed(source.FeedId, -1);
                d.Keys.Update(record);
            }
            d.Keys.Upsert(new StoryKeysRecord { Id = split.Id, Keys = moved, Feeds = [source.FeedId], Published = split.Published });
            foreach (var hash in moved) d.Index.Stage(hash, split.Id);
            d.Index.StageFeed(source.FeedId);

            var ledger = SplitRule.Ledger(storyId, split, source, canonical!, now);
            d.Splits.Upsert(ledger);
            _writer.OnCommit(() => d.RememberSplit(ledger));
            return new SplitResult(SplitOutcome.Split, story, split);
        });

    /// <summary>
    /// Saves a feed's state. Until it is committed, and while the store cannot write, readers see the
    /// state as last saved *or attempted*, so a feed whose writes fail shows why.
    /// </summary>
    public async Task SaveFeedStateAsync(FeedStateRecord state)
    {
        _unsavedFeedStates[state.Id] = state;
        await _writer.WriteAsync(d => d.Feeds.Upsert(state), changesStories: false).ConfigureAwait(false);
        _unsavedFeedStates.TryRemove(new KeyValuePair<string, FeedStateRecord>(state.Id, state));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FeedStateRecord> _unsavedFeedStates = new(StringComparer.Ordinal);

    /// <summary>Moves the write-ahead log into the data file (LiteDB also does this every 1,000 pages).</summary>
    public Task CheckpointAsync() => _writer.WriteAsync(d => { d.Db.Checkpoint(); return true; }, transactional: false);

    /// <summary>
    /// A consistent copy of the database at <paramref name="target"/> (which must not exist), taken
    /// on the writer: the log is checkpointed into the data file and the file copied while no write
    /// can run; the copy is then opened read-only to check it. Readers are not blocked.
    /// </summary>
    public async Task<BackupResult> BackupAsync(string target, CancellationToken cancel = default)
    {
        var full = System.IO.Path.GetFullPath(target);
        if (File.Exists(full)) throw new IOException($"backup: {full} already exists");
        if (!Directory.Exists(System.IO.Path.GetDirectoryName(full))) throw new DirectoryNotFoundException($"backup: the folder of {full} does not exist");
        var temporary = full + ".partial";
        var bytes = await _writer.WriteAsync(d =>
        {
            d.Db.Checkpoint();
            File.Delete(temporary); // left by a crashed try, it would block every later one
            try
            {
                using var source = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var copy = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
                source.CopyTo(copy);
                copy.Flush(flushToDisk: true);
                return copy.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The copy's failure (its disk full, its folder read-only) is the backup's, not the database's.
                try { File.Delete(temporary); } catch (IOException) { }
                throw new BackupFailedException($"backup: {e.Message}", e);
            }
        }, transactional: false).ConfigureAwait(false);
        try
        {
            int stories;
            using (var check = new LiteDatabase(new ConnectionString { Filename = temporary, ReadOnly = true, Connection = ConnectionType.Direct }))
                stories = check.GetCollection("stories").Count();
            File.Move(temporary, full);
            return new BackupResult(full, bytes, stories);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The site's learned boilerplate fingerprints (empty when nothing is learned yet).</summary>
    public IReadOnlySet<long> LearnedBoilerplateFor(string site) => D.Learned.TryGetValue(site, out var set) ? set : EmptySet;

    private static readonly IReadOnlySet<long> EmptySet = new HashSet<long>();

    public IReadOnlyList<SiteProfileRecord> SiteProfiles() => Read(d => d.Sites.FindAll().OrderBy(s => s.Id, StringComparer.Ordinal).ToList());

    /// <summary>
    /// Adds an article's short paragraphs to its site's profile (the same URL again replaces its
    /// entry), keeps the last <paramref name="window"/> articles, and re-derives the learned lines:
    /// those in at least <paramref name="minArticles"/> of them. Returns the lines learned now that were not before.
    /// </summary>
    public Task<IReadOnlyList<LearnedLineRecord>> RecordSiteArticleAsync(string site, string url, IReadOnlyList<(long Fingerprint, string Text)> paragraphs,
        DateTime now, int window, int minArticles) =>
        _writer.WriteAsync<IReadOnlyList<LearnedLineRecord>>(d =>
        {
            // The cache is updated at once, so several articles of one site in one batch all count; a
            // rolled-back batch leaves an article counted in memory only, written with the next update.
            if (!d.SiteProfiles.TryGetValue(site, out var profile)) d.SiteProfiles[site] = profile = new SiteProfileRecord { Id = site };
            var added = Pipeline.BoilerplateLearning.Record(profile, url, paragraphs, now, window, minArticles);
            // Written once per site per batch, with the last article's state: not re-serialised per article.
            _writer.BeforeCommit(("site", site), () => d.Sites.Upsert(profile));
            var set = profile.Learned.Select(l => l.Fingerprint).ToHashSet();
            _writer.OnCommit(() => d.Learned[site] = set);
            return added;
        }, changesStories: false);

    /// <summary>Changes whenever committed data changes; outputs derived from the data can be cached per version.</summary>
    public long Version => _writer.Version;

    public StoryRecord? GetStory(string id) => Read(d => d.Stories.FindById(id));

    /// <summary>A read of the file, one LiteDB operation at a time (<see cref="StoreData.Gate"/>); <paramref name="read"/> must not return a lazy sequence.</summary>
    private T Read<T>(Func<StoreData, T> read)
    {
        var d = D;
        lock (d.Gate) return read(d);
    }

    public StoryPage QueryStories(StoryQuery query)
    {
        if (query.Text is not null) return Search(query);
        // Only the sort-key range goes to LiteDB, so it walks the SortKey index in order and stops
        // after one page; a category filter there would make it sort every matching story first.
        return Read(d =>
        {
            var q = d.Stories.Query();
            if (query.Before is not null) q = q.Where("$.SortKey < @0", query.Before);
            var matches = q.OrderByDescending("$.SortKey").ToEnumerable().Where(s => Matches(s, query));
            return Page(matches, query.Limit);
        });
    }

    /// <summary>
    /// <c>q</c> (see <see cref="SearchTerms"/>): the term index names the newest matching stories,
    /// filtered by everything, and holds what a list shows of them; the stories themselves are read
    /// only when more than that is asked for.
    /// </summary>
    private StoryPage Search(StoryQuery query)
    {
        var d = D;
        var hits = d.Search.Find(SearchQuery.Parse(query.Text), query, query.Limit + 1);
        if (query.ListFieldsOnly) return Page(hits.Select(h => h.Listed()), query.Limit);
        lock (d.Gate) return Page(Fetch(d, hits), query.Limit);
    }

    /// <summary>The stories of <paramref name="hits"/>, in that order, in one query (a FindById each costs several times more).</summary>
    private static IEnumerable<StoryRecord> Fetch(StoreData d, List<TermIndex.Hit> hits)
    {
        if (hits.Count == 0) return [];
        var found = d.Stories.Find(Query.In("_id", new BsonArray(hits.Select(h => new BsonValue(h.Id))))).ToDictionary(s => s.Id, StringComparer.Ordinal);
        return hits.Where(h => found.ContainsKey(h.Id)).Select(h => found[h.Id]);
    }

    private static StoryPage Page(IEnumerable<StoryRecord> matches, int limit)
    {
        var page = matches.Take(limit + 1).ToList();
        var next = page.Count > limit ? page[limit - 1].SortKey : null;
        return new StoryPage(page.Take(limit).ToList(), next);
    }

    /// <summary>The filters besides <c>q</c>, which only the term index answers.</summary>
    private static bool Matches(StoryRecord s, StoryQuery q) =>
        (q.Category is null || string.Equals(s.Category, q.Category, StringComparison.OrdinalIgnoreCase))
        && (q.Since is null || s.Published >= q.Since) && (q.Until is null || s.Published <= q.Until)
        && (q.FeedId is null || s.Sources.Any(x => x.FeedId == q.FeedId));

    /// <summary>Stories per feed id (a story counts for every feed that carried it).</summary>
    public IReadOnlyDictionary<string, int> CountStoriesByFeed() => D.Index.StoriesPerFeed;

    /// <summary>Stories stored, counted by the writer: O(1), committed or about to be.</summary>
    public int StoryCount => D.StoryCount;

    /// <summary>The newest publication time stored (MinValue when empty): the reference for retention, instead of the clock.</summary>
    public DateTime NewestPublished => D.NewestPublished;

    public long StorageBytes => FileSize;

    /// <summary>Bytes on disk: the data file plus its write-ahead log.</summary>
    public long FileSize => FileLength(Path) + FileLength(System.IO.Path.ChangeExtension(Path, null) + "-log" + System.IO.Path.GetExtension(Path));

    private static long FileLength(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    public FeedStateRecord GetFeedState(string feedId) =>
        _unsavedFeedStates.TryGetValue(feedId, out var unsaved) ? unsaved.Clone() : Read(d => d.Feeds.FindById(feedId)) ?? new FeedStateRecord { Id = feedId };

    /// <summary>Adds a source (see <see cref="Representative"/> for which one leads) and writes the story if it changed.</summary>
    private void Attach(StoreData d, StoryRecord story, StorySource source, DateTime now)
    {
        if (!Representative.Attach(story, source, now)) return;
        d.UpdateStory(story);
        d.Emit(OutboxEventTypes.SourceAdded, story.Id, EventTime, source);
    }

    /// <summary>The time an outbox event records: the store's clock when its change is applied.</summary>
    private DateTime EventTime => _time.GetUtcNow().UtcDateTime;

    /// <summary>Records keys and the carrying feed for a story (runs on the writer, inside its transaction).</summary>
    private static void AddKeys(StoreData d, string storyId, string feedId, IEnumerable<StoryKey> keys, bool isNew, TextSignature? signature = null, DateTime published = default)
    {
        var record = (isNew ? null : d.Keys.FindById(storyId)) ?? new StoryKeysRecord { Id = storyId };
        if (signature is not null)
        {
            (record.Signature, record.Lead) = signature.ToStored();
            record.Shingles = signature.Shingles;
            record.Published = published;
            d.Near.Stage(storyId, signature, published);
        }
        var changed = isNew;
        foreach (var key in keys)
        {
            if (d.Index.FindForWriter(key.Hash) is not null) continue;
            record.Keys.Add(key.Hash);
            d.Index.Stage(key.Hash, storyId);
            changed = true;
        }
        if (signature is not null) changed = true;
        if (!record.Feeds.Contains(feedId))
        {
            record.Feeds.Add(feedId);
            d.Index.StageFeed(feedId);
            changed = true;
        }
        if (changed) d.Keys.Upsert(record);
    }

    public long LatestEventId => Volatile.Read(ref D.CommittedEventId);

    public IReadOnlyList<OutboxEventRecord> ReadEvents(long afterId, int limit) =>
        Read(d => d.Outbox.Find(Query.GT("_id", afterId), limit: limit).ToList());

    /// <summary>Deletes events past the outbox's age or count (the newest stays, so ids never go back after a restart).</summary>
    public Task<int> TrimOutboxAsync(DateTime olderThan, int maxEvents) =>
        _writer.WriteAsync(d =>
        {
            // Indexed here, on the writer, not at open: opening must not write (it reopens on a full disk).
            d.Outbox.EnsureIndex(e => e.At);
            var latest = d.LastEventId;
            var deleted = d.Outbox.DeleteMany(Query.And(Query.LT(nameof(OutboxEventRecord.At), olderThan), Query.LT("_id", latest)));
            var beyond = d.Outbox.Query().OrderByDescending("_id").Select(e => e.Id).Offset(maxEvents).Limit(1).FirstOrDefault();
            if (beyond > 0) deleted += d.Outbox.DeleteMany(Query.And(Query.LTE("_id", beyond), Query.LT("_id", latest)));
            return deleted;
        }, changesStories: false);

    /// <summary>Always this process: the store's file lock lets one process open it.</summary>
    public bool ClaimWebhook(string hookId) => true;

    public WebhookStateRecord? GetWebhookState(string hookId) => Read(d => d.Webhooks.FindById(hookId));

    public Task SaveWebhookStateAsync(WebhookStateRecord state)
    {
        var copy = state.Clone();
        return _writer.WriteAsync(d => d.Webhooks.Upsert(copy), changesStories: false);
    }

    /// <summary>Files a blocked item's keys as a tombstone of its own (see <see cref="IStoryStore.RememberBlockedAsync"/>).</summary>
    public Task RememberBlockedAsync(string feedId, IReadOnlyList<StoryKey> blockedKeys, DateTime now) =>
        _writer.WriteAsync(d =>
        {
            var fresh = blockedKeys.Where(k => d.Index.FindForWriter(k.Hash) is null).ToList();
            if (fresh.Count == 0) return false;
            var id = StoryKeys.BlockedId(blockedKeys);
            var record = d.Keys.FindById(id);
            if (record is null)
            {
                record = new StoryKeysRecord { Id = id, Feeds = [feedId], Published = now, Deleted = now };
                d.Index.StageBlocked(feedId);
            }
            foreach (var key in fresh)
            {
                record.Keys.Add(key.Hash);
                d.Index.Stage(key.Hash, id);
            }
            d.Keys.Upsert(record);
            return true;
        }, changesStories: false);

    public IReadOnlyDictionary<string, int> CountBlockedByFeed() => D.Index.BlockedPerFeed;

    /// <summary>Flushes the writer, checkpoints and closes; a storage fault on the way is logged, never thrown.</summary>
    public void Dispose()
    {
        _checkpointTimer.Dispose();
        try
        {
            SaveSearchSnapshotAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is StorageFaultException or ObjectDisposedException)
        {
            // Without a current snapshot the next open builds the index from the stories.
        }
        try
        {
            CheckpointAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is StorageFaultException or ObjectDisposedException)
        {
            // Nothing acknowledged is lost: the log holds every commit, and the next open replays it.
        }
        _writer.Dispose();
        _lock.Dispose();
    }
}
