using System.Runtime.InteropServices;
using Aggregator.Core.Dedup;

namespace Aggregator.Core.Storage;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures (32 bands of 2 rows, so that pairs at a 0.3
/// Jaccard become candidates 95% of the time, at 0.2 73%): stories that share a band are candidates,
/// verified by <see cref="NearDuplicateRule"/>. Two stories match only when published within
/// <see cref="Window"/> of each other, as wire copy is republished within days. The index holds the
/// stories published within <paramref name="horizon"/> of the newest one it holds — never of the
/// clock, so a corpus deduplicates the same whatever date it carries, and a backlog weeks old is
/// matched like today's news; it is rebuilt without the older ones once a quarter has aged out, so
/// memory follows the horizon (retention), not the archive.
/// Used by the store's single writer only (no locking); flat arrays, about 1.3 KB per story.
/// </summary>
internal sealed class NearDuplicateIndex(TimeSpan horizon)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    internal const int Bands = 32;
    private const int Rows = MinHash.Size / Bands;

    private readonly Dictionary<ulong, int> _bandHeads = [];
    private readonly List<(int Story, int Next)> _entries = [];
    private readonly List<(string Id, TextSignature Signature, DateTime Published)> _stories = [];
    private readonly List<(string StoryId, TextSignature Signature, DateTime Published)> _staged = [];
    private readonly HashSet<int> _seen = [];
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private DateTime _newest = DateTime.MinValue;

    public int Count => _stories.Count;

    /// <summary>Signatures written inside the open transaction; they join the index when it commits.</summary>
    public void Stage(string storyId, TextSignature signature, DateTime published) => _staged.Add((storyId, Kept(signature), published));

    /// <summary>What the index keeps of a signature: not the matched body's full shingle set.</summary>
    private static TextSignature Kept(TextSignature signature) => signature.All is null ? signature : signature with { All = null };

    public void CommitStaged()
    {
        foreach (var (id, signature, published) in _staged) Add(id, signature, published);
        _staged.Clear();
    }

    public void DiscardStaged() => _staged.Clear();

    /// <summary>A deleted story stops matching (its slot goes at the next rebuild).</summary>
    public void Remove(string storyId) => _removed.Add(storyId);

    /// <summary>
    /// The most similar story within the window, committed or staged, that the rule judges the same
    /// story (Similarity is its score: the containment when both shingle counts are known); stories
    /// <paramref name="excluded"/> rules out (split from this source by an operator, or carrying the same feed) never match.
    /// </summary>
    public (string StoryId, double Similarity)? FindForWriter(TextSignature signature, DateTime published, Func<string, bool>? excluded = null) =>
        NearDuplicateRule.Best(signature, Candidates(signature, published, excluded));

    /// <summary>Stories sharing a band (committed, then staged), within the window and not ruled out.</summary>
    private IEnumerable<(string Id, TextSignature Other)> Candidates(TextSignature signature, DateTime published, Func<string, bool>? excluded)
    {
        bool Eligible(string id, DateTime otherPublished) =>
            (otherPublished - published).Duration() <= Window && !_removed.Contains(id) && !(excluded?.Invoke(id) ?? false);
        _seen.Clear();
        for (var band = 0; band < Bands; band++)
        {
            if (!_bandHeads.TryGetValue(BandKey(signature, band), out var at)) continue;
            for (; at >= 0; at = _entries[at].Next)
            {
                var story = _entries[at].Story;
                if (!_seen.Add(story)) continue;
                var (id, other, otherPublished) = _stories[story];
                if (Eligible(id, otherPublished)) yield return (id, other);
            }
        }
        foreach (var (id, other, otherPublished) in _staged)
            if (Eligible(id, otherPublished)) yield return (id, other);
    }


    public void Add(string storyId, TextSignature signature, DateTime published)
    {
        if (published > _newest) _newest = published;
        var oldest = _newest - horizon;
        if (published < oldest) return;
        if (_stories.Count % 4096 == 4095) PruneOlderThan(oldest);
        var story = _stories.Count;
        _stories.Add((storyId, Kept(signature), published));
        for (var band = 0; band < Bands; band++)
        {
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_bandHeads, BandKey(signature, band), out var exists);
            _entries.Add((story, exists ? head : -1));
            head = _entries.Count - 1;
        }
    }

    private void PruneOlderThan(DateTime oldest)
    {
        if ((_stories.Count(s => s.Published < oldest) + _removed.Count) * 4 < _stories.Count) return;
        var keep = _stories.Where(s => s.Published >= oldest && !_removed.Contains(s.Id)).ToList();
        _removed.Clear();
        _stories.Clear();
        _entries.Clear();
        _bandHeads.Clear();
        foreach (var (id, signature, published) in keep) Add(id, signature, published);
    }

    /// <summary>The hash of one band of a signature: also the PostgreSQL store's band key, so both engines surface the same candidates.</summary>
    internal static ulong BandKey(TextSignature signature, int band)
    {
        var hash = 14695981039346656037UL ^ (ulong)band;
        for (var r = band * Rows; r < (band + 1) * Rows; r++) hash = (hash ^ signature.MinHashes[r]) * 1099511628211UL;
        return hash;
    }
}
