using Aggregator.Core.Dedup;
using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>
/// The Storage stage: one LiteDB file per process, guarded by a lock file. All writes go through one
/// writer lock (so "look up keys, then insert" cannot race between feed jobs); reads run freely.
/// </summary>
public sealed class StoryStore : IDisposable
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMinutes(5);
    private readonly StoreLock _lock;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<StoryRecord> _stories;
    private readonly ILiteCollection<KeyRecord> _keys;
    private readonly ILiteCollection<FeedStateRecord> _feeds;
    private readonly ITimer _checkpointTimer;
    private readonly Lock _write = new();

    public string Path { get; }

    private StoryStore(string path, StoreLock storeLock, LiteDatabase db, TimeProvider time)
    {
        Path = path;
        _lock = storeLock;
        _db = db;
        _stories = db.GetCollection<StoryRecord>("stories");
        _keys = db.GetCollection<KeyRecord>("keys");
        _feeds = db.GetCollection<FeedStateRecord>("feeds");
        _stories.EnsureIndex(s => s.SortKey);
        _stories.EnsureIndex(s => s.Category);
        _keys.EnsureIndex(k => k.StoryId);
        _checkpointTimer = time.CreateTimer(_ => Checkpoint(), null, CheckpointInterval, CheckpointInterval);
    }

    /// <summary>Opens (creating if needed) the database; throws <see cref="StoreLockedException"/> if another process has it.</summary>
    public static StoryStore Open(string path, TimeProvider time)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var storeLock = StoreLock.Acquire(path);
        try
        {
            var mapper = StoreMapper.Create();
            var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
            // Dates are stored as UTC by BSON but read back as local time unless UTC_DATE is set.
            var db = new LiteDatabase(connection, mapper) { UtcDate = true };
            return new StoryStore(path, storeLock, db, time);
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>The story that one of the keys already names, and the kind of the key that matched.</summary>
    public (string StoryId, string MatchedBy)? FindStory(IEnumerable<StoryKey> keys)
    {
        foreach (var key in keys)
            if (_keys.FindById(key.Hash) is { } found) return (found.StoryId, key.Kind);
        return null;
    }

    /// <summary>
    /// Stores <paramref name="candidate"/> as a new story, unless one of its keys already names a
    /// story (checked again under the writer lock, so concurrent jobs cannot both create it): then
    /// its first source joins that story. Returns the story id and whether it was created.
    /// </summary>
    public (string StoryId, bool Created) AddOrAttach(StoryRecord candidate, IReadOnlyList<StoryKey> keys, DateTime now)
    {
        var source = candidate.Sources[0];
        lock (_write)
        {
            if (FindStory(keys) is var (existing, matchedBy) && _stories.FindById(existing) is { } story)
            {
                source.MatchedBy = matchedBy;
                AttachLocked(story, source, now);
                AddKeys(existing, source.FeedId, keys);
                return (existing, false);
            }
            _stories.Insert(candidate);
            AddKeys(candidate.Id, source.FeedId, keys);
            return (candidate.Id, true);
        }
    }

    /// <summary>Adds a source to an existing story (another outlet, or another URL of the same article).</summary>
    public StoryRecord? AttachSource(string storyId, StorySource source, IEnumerable<StoryKey> keys, DateTime now)
    {
        lock (_write)
        {
            var story = _stories.FindById(storyId);
            if (story is null) return null;
            AttachLocked(story, source, now);
            AddKeys(storyId, source.FeedId, keys);
            return story;
        }
    }

    private void AttachLocked(StoryRecord story, StorySource source, DateTime now)
    {
        if (story.Sources.Any(s => s.FeedId == source.FeedId && s.Url == source.Url)) return;
        story.Sources.Add(source);
        story.Updated = now;
        _stories.Update(story);
    }

    public void UpdateStory(StoryRecord story)
    {
        lock (_write) _stories.Update(story);
    }

    public StoryRecord? GetStory(string id) => _stories.FindById(id);

    public StoryPage QueryStories(StoryQuery query)
    {
        var q = _stories.Query();
        if (query.Category is not null) q = q.Where("LOWER($.Category) = @0", query.Category.ToLowerInvariant());
        if (query.Before is not null) q = q.Where("$.SortKey < @0", query.Before);
        var matches = q.OrderByDescending("$.SortKey").ToEnumerable().Where(s => Matches(s, query));
        var page = matches.Take(query.Limit + 1).ToList();
        var next = page.Count > query.Limit ? page[query.Limit - 1].SortKey : null;
        return new StoryPage(page.Take(query.Limit).ToList(), next);
    }

    private static bool Matches(StoryRecord s, StoryQuery q) =>
        (q.Since is null || s.Published >= q.Since) && (q.Until is null || s.Published <= q.Until)
        && (q.FeedId is null || s.Sources.Any(x => x.FeedId == q.FeedId))
        && (q.Text is null || q.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(w =>
            s.Title.Contains(w, StringComparison.OrdinalIgnoreCase) || (s.Text?.Contains(w, StringComparison.OrdinalIgnoreCase) ?? false)));

    /// <summary>Stories per feed id (a story counts for every feed that carried it).</summary>
    public Dictionary<string, int> CountStoriesByFeed() =>
        _keys.Query().Select(k => new { k.FeedId, k.StoryId }).ToEnumerable()
            .DistinctBy(k => (k.FeedId, k.StoryId)).GroupBy(k => k.FeedId).ToDictionary(g => g.Key, g => g.Count());

    public int StoryCount => _stories.Count();

    public FeedStateRecord GetFeedState(string feedId) => _feeds.FindById(feedId) ?? new FeedStateRecord { Id = feedId };

    public IReadOnlyList<FeedStateRecord> AllFeedStates() => _feeds.FindAll().ToList();

    public void SaveFeedState(FeedStateRecord state)
    {
        lock (_write) _feeds.Upsert(state);
    }

    public void Checkpoint()
    {
        lock (_write) _db.Checkpoint();
    }

    private void AddKeys(string storyId, string feedId, IEnumerable<StoryKey> keys)
    {
        foreach (var key in keys)
            if (_keys.FindById(key.Hash) is null)
                _keys.Insert(new KeyRecord { Id = key.Hash, StoryId = storyId, Kind = key.Kind, FeedId = feedId });
    }

    public void Dispose()
    {
        _checkpointTimer.Dispose();
        lock (_write)
        {
            _db.Checkpoint();
            _db.Dispose();
        }
        _lock.Dispose();
    }
}
