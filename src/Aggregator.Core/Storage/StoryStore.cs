using Aggregator.Core.Dedup;
using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>
/// The Storage stage: one LiteDB file per process, guarded by a lock file. Every write goes through
/// the single <see cref="StoreWriter"/> (so "look up keys, then insert" cannot race between feed
/// jobs, and commits are batched); reads run freely against committed data.
/// </summary>
public sealed class StoryStore : IDisposable
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMinutes(5);
    private readonly StoreLock _lock;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<StoryRecord> _stories;
    private readonly ILiteCollection<StoryKeysRecord> _keys;
    private readonly ILiteCollection<FeedStateRecord> _feeds;
    private readonly ILiteCollection<SplitRecord> _splits;
    private readonly ILiteCollection<SiteProfileRecord> _sites;
    /// <summary>Learned boilerplate fingerprints per site, replaced whole on commit (readers never see a half-updated set).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<long>> _learned = new(StringComparer.Ordinal);
    /// <summary>The site profiles as last written (writer only): no read of the document before each update.</summary>
    private readonly Dictionary<string, SiteProfileRecord> _siteProfiles = new(StringComparer.Ordinal);
    private readonly KeyIndex _index = new();
    /// <summary>(feed, canonical URL) → the stories operators split that source from; writer only.</summary>
    private readonly Dictionary<(string FeedId, string Url), HashSet<string>> _splitFrom = [];
    private readonly NearDuplicateIndex _near;
    private readonly StoreWriter _writer;
    private readonly ITimer _checkpointTimer;

    public string Path { get; }

    private StoryStore(string path, StoreLock storeLock, LiteDatabase db, TimeProvider time)
    {
        Path = path;
        _lock = storeLock;
        _db = db;
        _stories = db.GetCollection<StoryRecord>("stories");
        _keys = db.GetCollection<StoryKeysRecord>("storykeys");
        _feeds = db.GetCollection<FeedStateRecord>("feeds");
        _splits = db.GetCollection<SplitRecord>("splits");
        _sites = db.GetCollection<SiteProfileRecord>("sites");
        foreach (var site in _sites.FindAll())
        {
            _siteProfiles[site.Id] = site;
            _learned[site.Id] = site.Learned.Select(l => l.Fingerprint).ToHashSet();
        }
        _near = new NearDuplicateIndex(time);
        _stories.EnsureIndex(s => s.SortKey);
        _keys.EnsureIndex(k => k.Deleted);
        foreach (var split in _splits.FindAll()) RememberSplit(split);
        var windowStart = time.GetUtcNow().UtcDateTime - NearDuplicateIndex.Window;
        foreach (var record in _keys.FindAll())
        {
            _index.Load(record);
            if (record.Deleted is null && record.Signature is { Length: MinHash.Size * 4 } bytes && record.Published >= windowStart)
                _near.Add(record.Id, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray(), record.Published);
        }
        _writer = new StoreWriter(db, _index, _near);
        _checkpointTimer = time.CreateTimer(_ => _ = CheckpointAsync(), null, CheckpointInterval, CheckpointInterval);
    }

    /// <summary>Opens (creating if needed) the database; throws <see cref="StoreLockedException"/> if another process has it.</summary>
    public static StoryStore Open(string path, TimeProvider time)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var storeLock = StoreLock.Acquire(path);
        try
        {
            var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
            // Dates are stored as UTC by BSON but read back as local time unless UTC_DATE is set.
            var db = new LiteDatabase(connection, StoreMapper.Create()) { UtcDate = true };
            return new StoryStore(path, storeLock, db, time);
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>The story that one of the keys already names (committed data), and the kind of the key that matched.</summary>
    public (string StoryId, string MatchedBy)? FindStory(IEnumerable<StoryKey> keys)
    {
        foreach (var key in keys)
            if (_index.Find(key.Hash) is { } storyId) return (storyId, key.Kind);
        return null;
    }

    /// <summary>
    /// Stores <paramref name="candidate"/> as a new story, unless one of its keys already names a
    /// story, or its body's MinHash <paramref name="signature"/> is near one published within the
    /// window (both checked by the writer, so concurrent jobs cannot both create it): then its first
    /// source joins that story, with the reason. Completes once committed.
    /// </summary>
    public Task<(string StoryId, bool Created)> AddOrAttachAsync(StoryRecord candidate, IReadOnlyList<StoryKey> keys, DateTime now, uint[]? signature = null)
    {
        var source = candidate.Sources[0];
        return _writer.WriteAsync(() =>
        {
            var (existing, reason) = MatchForWriter(keys, signature, candidate.Published, source);
            if (existing is not null)
            {
                // A key of a deleted story is a tombstone: the item does not come back.
                if (_stories.FindById(existing) is not { } story) return (existing, false);
                source.MatchedBy = reason!;
                Attach(story, source, now);
                AddKeys(existing, source.FeedId, keys, isNew: false);
                return (existing, false);
            }
            _stories.Insert(candidate);
            AddKeys(candidate.Id, source.FeedId, keys, isNew: true, signature, candidate.Published);
            return (candidate.Id, true);
        });
    }

    private (string? StoryId, string? Reason) MatchForWriter(IReadOnlyList<StoryKey> keys, uint[]? signature, DateTime published, StorySource source)
    {
        var splitFrom = SplitFrom(source.FeedId, source.Url);
        foreach (var key in keys)
            if (_index.FindForWriter(key.Hash) is { } id && (splitFrom is null || !splitFrom.Contains(id))) return (id, key.Kind);
        if (signature is not null && _near.FindForWriter(signature, published, splitFrom) is var (nearId, similarity))
            return (nearId, $"similar-text {similarity.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
        return (null, null);
    }

    private HashSet<string>? SplitFrom(string feedId, string? url) =>
        _splitFrom.Count > 0 && UrlCanonicalizer.Canonicalize(url) is { } canonical && _splitFrom.TryGetValue((feedId, canonical), out var from) ? from : null;

    private void RememberSplit(SplitRecord split)
    {
        var key = (split.FeedId, split.Url);
        if (!_splitFrom.TryGetValue(key, out var from)) _splitFrom[key] = from = new HashSet<string>(StringComparer.Ordinal);
        from.Add(split.FromStory);
    }


    /// <summary>Adds a source to an existing story (another outlet, or another URL of the same article).</summary>
    public Task<StoryRecord?> AttachSourceAsync(string storyId, StorySource source, IEnumerable<StoryKey> keys, DateTime now) =>
        _writer.WriteAsync(() =>
        {
            var story = _stories.FindById(storyId);
            if (story is null) return null;
            Attach(story, source, now);
            AddKeys(storyId, source.FeedId, keys, isNew: false);
            return story;
        });

    /// <summary>
    /// Changes a story on the writer, on its latest committed state (so a source attached meanwhile
    /// is not lost); <paramref name="change"/> returns false to leave it as it was. New keys (and a
    /// new body's signature) are recorded for <paramref name="feedId"/>. Null when there is no such story.
    /// </summary>
    public Task<StoryRecord?> UpdateStoryAsync(string storyId, Func<StoryRecord, bool> change, string? feedId = null,
        IReadOnlyList<StoryKey>? keys = null, uint[]? signature = null) =>
        _writer.WriteAsync(() =>
        {
            if (_stories.FindById(storyId) is not { } story) return null;
            if (!change(story)) return story;
            _stories.Update(story);
            if (feedId is not null && (keys is { Count: > 0 } || signature is not null))
                AddKeys(storyId, feedId, keys ?? [], isNew: false, signature, story.Published);
            return story;
        });

    /// <summary>
    /// Deletes stories (retention, operators). Their keys stay behind as tombstones, so items that
    /// their feeds still list do not come back as new; their fingerprints and split entries go.
    /// </summary>
    public Task<int> DeleteStoriesAsync(IReadOnlyCollection<string> ids, DateTime now) =>
        _writer.WriteAsync(() =>
        {
            var deleted = 0;
            foreach (var id in ids)
            {
                if (!_stories.Delete(id)) continue;
                deleted++;
                if (_keys.FindById(id) is { } record)
                {
                    foreach (var feed in record.Feeds) _index.StageFeed(feed, -1);
                    record.Deleted = now;
                    record.Signature = null;
                    _keys.Update(record);
                }
                _splits.DeleteMany(x => x.FromStory == id || x.ToStory == id);
                _writer.OnCommit(() => _near.Remove(id));
            }
            return deleted;
        });

    /// <summary>Forgets tombstones of stories deleted before <paramref name="deletedBefore"/> (at most <paramref name="limit"/> per call).</summary>
    public Task<int> PurgeTombstonesAsync(DateTime deletedBefore, int limit = 1000) =>
        _writer.WriteAsync(() =>
        {
            var purged = _keys.Find(Query.Between(nameof(StoryKeysRecord.Deleted), DateTime.MinValue, deletedBefore), limit: limit).ToList();
            foreach (var record in purged)
            {
                foreach (var key in record.Keys)
                    if (_index.FindForWriter(key) == record.Id) _index.StageRemoval(key);
                _keys.Delete(record.Id);
            }
            return purged.Count;
        });

    /// <summary>
    /// Ids of stories past retention: published before <paramref name="publishedBefore"/>, or beyond
    /// the newest <paramref name="maxStories"/>. Both walk the SortKey index; at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<string> FindExpired(DateTime publishedBefore, int maxStories, int limit)
    {
        var old = _stories.Query().Where("$.SortKey < @0", StoryRecord.MakeSortKey(publishedBefore, "")).Select(s => s.Id).Limit(limit).ToList();
        if (old.Count >= limit) return old;
        var excess = _stories.Count() - maxStories;
        if (excess <= 0) return old;
        var beyond = _stories.Query().OrderBy("$.SortKey").Select(s => s.Id).Limit(Math.Min(excess, limit - old.Count)).ToList();
        return old.Union(beyond).ToList();
    }

    /// <summary>
    /// An operator's correction: the source with <paramref name="url"/> leaves the story and becomes
    /// a story of its own, taking its GUID and URL keys (and the body, if the body was its page). A
    /// ledger entry keeps that source from joining the story again, by key or by similar text.
    /// </summary>
    public Task<SplitResult> SplitSourceAsync(string storyId, string url, DateTime now, string? feedId = null) =>
        _writer.WriteAsync(() =>
        {
            if (_stories.FindById(storyId) is not { } story) return new SplitResult(SplitOutcome.NoStory, null, null);
            var canonical = UrlCanonicalizer.Canonicalize(url);
            var source = canonical is null ? null
                : story.Sources.FirstOrDefault(s => UrlCanonicalizer.Canonicalize(s.Url) == canonical && (feedId is null || s.FeedId == feedId));
            if (source is null) return new SplitResult(SplitOutcome.NoSource, story, null);
            if (story.Sources.Count == 1) return new SplitResult(SplitOutcome.OnlySource, story, null);

            story.Sources.Remove(source);
            var split = SplitOff(story, source, canonical!, now);
            Represent(story, now, fromScratch: true);
            story.Updated = now;
            _stories.Update(story);
            _stories.Insert(split);

            var moved = new[] { source.ItemId is { } guid ? StoryKeys.GuidKey(source.FeedId, guid) : null, StoryKeys.UrlKey(source.Url) }
                .OfType<StoryKey>().Select(k => k.Hash).Where(h => _index.FindForWriter(h) == storyId).ToList();
            if (_keys.FindById(storyId) is { } record)
            {
                record.Keys.RemoveAll(moved.Contains);
                if (story.Sources.All(s => s.FeedId != source.FeedId) && record.Feeds.Remove(source.FeedId)) _index.StageFeed(source.FeedId, -1);
                _keys.Update(record);
            }
            _keys.Upsert(new StoryKeysRecord { Id = split.Id, Keys = moved, Feeds = [source.FeedId], Published = split.Published });
            foreach (var hash in moved) _index.Stage(hash, split.Id);
            _index.StageFeed(source.FeedId);

            var ledger = new SplitRecord { Id = StoryKeys.Hash($"split\n{storyId}\n{source.FeedId}\n{canonical}")[..24], FromStory = storyId, ToStory = split.Id, FeedId = source.FeedId, Url = canonical!, At = now };
            _splits.Upsert(ledger);
            _writer.OnCommit(() => RememberSplit(ledger));
            return new SplitResult(SplitOutcome.Split, story, split);
        });

    private static StoryRecord SplitOff(StoryRecord story, StorySource source, string canonical, DateTime now)
    {
        var id = StoryKeys.Hash($"split\n{story.Id}\n{source.FeedId}\n{canonical}")[..16];
        var published = Clamped(source.Published, now) ?? source.FirstSeen;
        source.MatchedBy = $"split from {story.Id}";
        var split = new StoryRecord
        {
            Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = source.ItemTitle ?? story.Title, Url = source.Url,
            Category = story.Category, Published = published, FirstSeen = source.FirstSeen, Updated = now, Sources = [source],
        };
        if (story.BodyUrl is not null && story.BodyUrl == source.Url)
        {
            (split.Text, split.Html, split.Summary, split.Byline, split.ImageUrl, split.Language, split.BodyUrl) =
                (story.Text, story.Html, story.Summary, story.Byline, story.ImageUrl, story.Language, story.BodyUrl);
            (story.Text, story.Html, story.BodyUrl) = (null, null, null);
        }
        return split;
    }

    public Task SaveFeedStateAsync(FeedStateRecord state) => _writer.WriteAsync(() => _feeds.Upsert(state));

    /// <summary>Moves the write-ahead log into the data file (LiteDB also does this every 1,000 pages).</summary>
    public Task CheckpointAsync() => _writer.WriteAsync(() => { _db.Checkpoint(); return true; }, transactional: false);

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
        var bytes = await _writer.WriteAsync(() =>
        {
            _db.Checkpoint();
            File.Delete(temporary); // left by a crashed try, it would block every later one
            try
            {
                using var source = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var copy = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
                source.CopyTo(copy);
                copy.Flush(flushToDisk: true);
                return copy.Length;
            }
            catch
            {
                File.Delete(temporary); // a failed copy (disk full, …) leaves nothing behind
                throw;
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
    public IReadOnlySet<long> LearnedBoilerplateFor(string site) => _learned.TryGetValue(site, out var set) ? set : EmptySet;

    private static readonly IReadOnlySet<long> EmptySet = new HashSet<long>();

    public IReadOnlyList<SiteProfileRecord> SiteProfiles() => _sites.FindAll().OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Adds an article's short paragraphs to its site's profile (the same URL again replaces its
    /// entry), keeps the last <paramref name="window"/> articles, and re-derives the learned lines:
    /// those in at least <paramref name="minArticles"/> of them. Returns the lines learned now that were not before.
    /// </summary>
    public Task<IReadOnlyList<LearnedLineRecord>> RecordSiteArticleAsync(string site, string url, IReadOnlyList<(long Fingerprint, string Text)> paragraphs,
        DateTime now, int window, int minArticles) =>
        _writer.WriteAsync<IReadOnlyList<LearnedLineRecord>>(() =>
        {
            // The cache is updated at once, so several articles of one site in one batch all count; a
            // rolled-back batch leaves an article counted in memory only, written with the next update.
            if (!_siteProfiles.TryGetValue(site, out var profile)) _siteProfiles[site] = profile = new SiteProfileRecord { Id = site };
            profile.Recent.RemoveAll(a => a.Url == url);
            profile.Recent.Add(new SiteArticleRecord { Url = url, Paragraphs = paragraphs.Select(p => p.Fingerprint).ToList(), Seen = now });
            if (profile.Recent.Count > window) profile.Recent.RemoveRange(0, profile.Recent.Count - window);
            var counts = profile.Recent.SelectMany(a => a.Paragraphs.Distinct()).GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
            var known = profile.Learned.ToDictionary(l => l.Fingerprint);
            var texts = paragraphs.ToDictionary(p => p.Fingerprint, p => p.Text);
            var learned = counts.Where(c => c.Value >= minArticles)
                .Select(c => known.TryGetValue(c.Key, out var line) ? line : texts.TryGetValue(c.Key, out var text) ? new LearnedLineRecord { Fingerprint = c.Key, Text = text, Since = now } : null)
                .OfType<LearnedLineRecord>().ToList();
            foreach (var line in learned) line.Articles = counts[line.Fingerprint];
            var added = learned.Where(l => !known.ContainsKey(l.Fingerprint)).ToList();
            profile.Learned = learned;
            profile.Updated = now;
            _sites.Upsert(profile);
            var set = learned.Select(l => l.Fingerprint).ToHashSet();
            _writer.OnCommit(() => _learned[site] = set);
            return added;
        });

    /// <summary>Changes whenever committed data changes; outputs derived from the data can be cached per version.</summary>
    public long Version => _writer.Version;

    public StoryRecord? GetStory(string id) => _stories.FindById(id);

    public StoryPage QueryStories(StoryQuery query)
    {
        // Only the sort-key range goes to LiteDB, so it walks the SortKey index in order and stops
        // after one page; a category filter there would make it sort every matching story first.
        var q = _stories.Query();
        if (query.Before is not null) q = q.Where("$.SortKey < @0", query.Before);
        var matches = q.OrderByDescending("$.SortKey").ToEnumerable().Where(s => Matches(s, query));
        var page = matches.Take(query.Limit + 1).ToList();
        var next = page.Count > query.Limit ? page[query.Limit - 1].SortKey : null;
        return new StoryPage(page.Take(query.Limit).ToList(), next);
    }

    private static bool Matches(StoryRecord s, StoryQuery q) =>
        (q.Category is null || string.Equals(s.Category, q.Category, StringComparison.OrdinalIgnoreCase))
        && (q.Since is null || s.Published >= q.Since) && (q.Until is null || s.Published <= q.Until)
        && (q.FeedId is null || s.Sources.Any(x => x.FeedId == q.FeedId))
        && (q.Text is null || q.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(w =>
            s.Title.Contains(w, StringComparison.OrdinalIgnoreCase) || (s.Text?.Contains(w, StringComparison.OrdinalIgnoreCase) ?? false)));

    /// <summary>Stories per feed id (a story counts for every feed that carried it).</summary>
    public IReadOnlyDictionary<string, int> CountStoriesByFeed() => _index.StoriesPerFeed;

    public int StoryCount => _stories.Count();

    /// <summary>Bytes on disk: the data file plus its write-ahead log.</summary>
    public long FileSize => FileLength(Path) + FileLength(System.IO.Path.ChangeExtension(Path, null) + "-log" + System.IO.Path.GetExtension(Path));

    private static long FileLength(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    public FeedStateRecord GetFeedState(string feedId) => _feeds.FindById(feedId) ?? new FeedStateRecord { Id = feedId };

    /// <summary>
    /// Adds a source. The representative (whose headline and link lead) is the source of the
    /// highest-priority feed, then the earliest published, so a digest that relays an outlet's story
    /// later does not take it over. The story is as old as its earliest source.
    /// </summary>
    private void Attach(StoryRecord story, StorySource source, DateTime now)
    {
        if (story.Sources.Any(s => s.FeedId == source.FeedId && s.Url == source.Url)) return;
        story.Sources.Add(source);
        Represent(story, now);
        story.Updated = now;
        _stories.Update(story);
    }

    /// <summary>Orders the sources (representative first), takes the representative's headline and link, and dates the story by its earliest source.</summary>
    private static void Represent(StoryRecord story, DateTime now, bool fromScratch = false)
    {
        var previous = story.Sources[0];
        var ordered = story.Sources.OrderByDescending(s => s.Priority).ThenBy(s => Clamped(s.Published, now) ?? DateTime.MaxValue).ToList();
        story.Sources.Clear();
        story.Sources.AddRange(ordered);
        var best = ordered[0];
        if (best != previous || fromScratch)
        {
            story.Title = best.ItemTitle ?? story.Title;
            story.Url = best.Url ?? story.Url;
        }
        var earliest = story.Sources.Select(s => Clamped(s.Published, now)).Min();
        if (fromScratch) earliest ??= story.Sources.Min(s => s.FirstSeen);
        if (earliest is { } e && (e < story.Published || fromScratch))
        {
            story.Published = e;
            story.SortKey = StoryRecord.MakeSortKey(e, story.Id);
        }
    }

    /// <summary>A future date says nothing about when a story appeared.</summary>
    private static DateTime? Clamped(DateTime? published, DateTime now) => published <= now ? published : null;

    /// <summary>Records keys and the carrying feed for a story (runs on the writer, inside its transaction).</summary>
    private void AddKeys(string storyId, string feedId, IEnumerable<StoryKey> keys, bool isNew, uint[]? signature = null, DateTime published = default)
    {
        var record = (isNew ? null : _keys.FindById(storyId)) ?? new StoryKeysRecord { Id = storyId };
        if (signature is not null)
        {
            record.Signature = System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()).ToArray();
            record.Published = published;
            _near.Stage(storyId, signature, published);
        }
        var changed = isNew;
        foreach (var key in keys)
        {
            if (_index.FindForWriter(key.Hash) is not null) continue;
            record.Keys.Add(key.Hash);
            _index.Stage(key.Hash, storyId);
            changed = true;
        }
        if (signature is not null) changed = true;
        if (!record.Feeds.Contains(feedId))
        {
            record.Feeds.Add(feedId);
            _index.StageFeed(feedId);
            changed = true;
        }
        if (changed) _keys.Upsert(record);
    }

    public void Dispose()
    {
        _checkpointTimer.Dispose();
        _writer.Dispose();
        _db.Checkpoint();
        _db.Dispose();
        _lock.Dispose();
    }
}
