using System.Collections.Concurrent;
using System.Globalization;

namespace Aggregator.Core.Storage;

/// <summary>
/// Every dedup key in memory, as the first 128 bits of its SHA-256 → story id, plus stories per
/// feed. Lookups (most of them misses) cost a dictionary probe instead of a LiteDB read; the
/// storykeys collection is the durable copy and rebuilds this at start. About 50 bytes per key.
/// Keys written inside an open transaction are staged: the writer sees them, readers only once
/// the transaction has committed.
/// </summary>
internal sealed class KeyIndex
{
    private readonly ConcurrentDictionary<UInt128, string> _keys = new();
    private readonly ConcurrentDictionary<string, int> _storiesPerFeed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    /// <summary>Staged changes: a story id, or null for a key removed.</summary>
    private readonly Dictionary<UInt128, string?> _stagedKeys = [];
    private readonly List<(string Feed, int Delta)> _stagedFeeds = [];
    private readonly ConcurrentDictionary<string, int> _blockedPerFeed = new(StringComparer.Ordinal);
    private readonly List<(string Feed, int Delta)> _stagedBlocked = [];

    /// <summary>Blocked items remembered per feed (see <see cref="Dedup.StoryKeys.ForBlocked"/>).</summary>
    public IReadOnlyDictionary<string, int> BlockedPerFeed => _blockedPerFeed;

    /// <summary>A blocked item starts (+1) or stops (-1) being remembered for a feed.</summary>
    public void StageBlocked(string feedId, int delta = 1) => _stagedBlocked.Add((feedId, delta));

    public IReadOnlyDictionary<string, int> StoriesPerFeed => _storiesPerFeed;

    /// <summary>Committed keys only: for readers outside the writer.</summary>
    public string? Find(string hash) => _keys.TryGetValue(Prefix(hash), out var id) ? id : null;

    /// <summary>Committed and staged keys: for the writer, inside its transaction.</summary>
    public string? FindForWriter(string hash) =>
        _stagedKeys.TryGetValue(Prefix(hash), out var staged) ? staged : Find(hash);

    /// <summary>Points a key at a story (a new key, or one moved by a split).</summary>
    public void Stage(string hash, string storyId) => _stagedKeys[Prefix(hash)] = storyId;

    public void StageRemoval(string hash) => _stagedKeys[Prefix(hash)] = null;

    /// <summary>A story starts (+1) or stops (-1) counting for a feed.</summary>
    public void StageFeed(string feedId, int delta = 1) => _stagedFeeds.Add((feedId, delta));

    public void CommitStaged()
    {
        foreach (var (key, id) in _stagedKeys)
        {
            if (id is null) _keys.TryRemove(key, out _);
            else _keys[key] = Shared(id);
        }
        foreach (var (feed, delta) in _stagedFeeds) _storiesPerFeed.AddOrUpdate(feed, Math.Max(delta, 0), (_, n) => Math.Max(n + delta, 0));
        foreach (var (feed, delta) in _stagedBlocked) _blockedPerFeed.AddOrUpdate(feed, Math.Max(delta, 0), (_, n) => Math.Max(n + delta, 0));
        DiscardStaged();
    }

    public void DiscardStaged()
    {
        _stagedKeys.Clear();
        _stagedFeeds.Clear();
        _stagedBlocked.Clear();
    }

    /// <summary>Loads a durable record at start (single-threaded).</summary>
    public void Load(StoryKeysRecord record)
    {
        foreach (var key in record.Keys) _keys.TryAdd(Prefix(key), Shared(record.Id));
        if (Dedup.StoryKeys.IsBlockedId(record.Id))
            foreach (var feed in record.Feeds) _blockedPerFeed.AddOrUpdate(feed, 1, (_, n) => n + 1);
        if (record.Deleted is not null) return;
        foreach (var feed in record.Feeds) _storiesPerFeed.AddOrUpdate(feed, 1, (_, n) => n + 1);
    }

    /// <summary>One string instance per story id, however many keys point at it.</summary>
    private string Shared(string id)
    {
        if (!_ids.TryGetValue(id, out var shared)) _ids[id] = shared = id;
        return shared;
    }

    private static UInt128 Prefix(string hash) =>
        UInt128.Parse(hash.AsSpan(0, 32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
