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
    private readonly KeyIndex _index = new();
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
        _near = new NearDuplicateIndex(time);
        _stories.EnsureIndex(s => s.SortKey);
        var windowStart = time.GetUtcNow().UtcDateTime - NearDuplicateIndex.Window;
        foreach (var record in _keys.FindAll())
        {
            _index.Load(record);
            if (record.Signature is { Length: MinHash.Size * 4 } bytes && record.Published >= windowStart)
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
            var (existing, reason) = MatchForWriter(keys, signature, candidate.Published);
            if (existing is not null && _stories.FindById(existing) is { } story)
            {
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

    private (string? StoryId, string? Reason) MatchForWriter(IReadOnlyList<StoryKey> keys, uint[]? signature, DateTime published)
    {
        foreach (var key in keys)
            if (_index.FindForWriter(key.Hash) is { } id) return (id, key.Kind);
        if (signature is not null && _near.FindForWriter(signature, published) is var (nearId, similarity))
            return (nearId, $"similar-text {similarity.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
        return (null, null);
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

    public Task UpdateStoryAsync(StoryRecord story) => _writer.WriteAsync(() => _stories.Update(story));

    public Task SaveFeedStateAsync(FeedStateRecord state) => _writer.WriteAsync(() => _feeds.Upsert(state));

    /// <summary>Moves the write-ahead log into the data file (LiteDB also does this every 1,000 pages).</summary>
    public Task CheckpointAsync() => _writer.WriteAsync(() => { _db.Checkpoint(); return true; }, transactional: false);

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

    public FeedStateRecord GetFeedState(string feedId) => _feeds.FindById(feedId) ?? new FeedStateRecord { Id = feedId };

    /// <summary>
    /// Adds a source. The earliest-published source represents the story (its headline and link
    /// lead), so a digest that relays an outlet's story later does not take it over.
    /// </summary>
    private void Attach(StoryRecord story, StorySource source, DateTime now)
    {
        if (story.Sources.Any(s => s.FeedId == source.FeedId && s.Url == source.Url)) return;
        var representative = story.Sources[0];
        if (source.Published is { } published && published <= now && published < (representative.Published ?? DateTime.MaxValue))
        {
            story.Sources.Insert(0, source);
            story.Title = source.ItemTitle ?? story.Title;
            story.Url = source.Url ?? story.Url;
            if (published < story.Published)
            {
                story.Published = published;
                story.SortKey = StoryRecord.MakeSortKey(published, story.Id);
            }
        }
        else
        {
            story.Sources.Add(source);
        }
        story.Updated = now;
        _stories.Update(story);
    }

    /// <summary>Records keys and the carrying feed for a story (runs on the writer, inside its transaction).</summary>
    private void AddKeys(string storyId, string feedId, IEnumerable<StoryKey> keys, bool isNew, uint[]? signature = null, DateTime published = default)
    {
        var record = (isNew ? null : _keys.FindById(storyId)) ?? new StoryKeysRecord { Id = storyId };
        if (isNew && signature is not null)
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
