using System.Collections.Concurrent;
using Aggregator.Core.Dedup;

namespace Aggregator.Core.Storage;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures (32 bands of 2 rows, so that pairs at the 0.3 threshold become candidates 95% of the time): stories that share a band
/// are candidates, verified by their estimated similarity. Only stories published within the
/// window are kept, which bounds memory and matches how wire copy is republished (within days).
/// </summary>
internal sealed class NearDuplicateIndex
{
    public const double Threshold = 0.3;
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    private const int Bands = 32;
    private const int Rows = MinHash.Size / Bands;
    private readonly ConcurrentDictionary<ulong, List<string>> _bands = new();
    private readonly ConcurrentDictionary<string, (uint[] Signature, DateTime Published)> _stories = new(StringComparer.Ordinal);

    private readonly List<(string StoryId, uint[] Signature, DateTime Published)> _staged = [];

    public int Count => _stories.Count;

    /// <summary>Signatures written inside the open transaction: the writer sees them, readers only after commit.</summary>
    public void Stage(string storyId, uint[] signature, DateTime published) => _staged.Add((storyId, signature, published));

    public void CommitStaged()
    {
        foreach (var (id, signature, published) in _staged) Add(id, signature, published);
        _staged.Clear();
    }

    public void DiscardStaged() => _staged.Clear();

    /// <summary>For the writer: committed stories and those staged in its open transaction.</summary>
    public (string StoryId, double Similarity)? FindForWriter(uint[] signature, DateTime published)
    {
        var best = Find(signature, published);
        foreach (var (id, other, otherPublished) in _staged)
        {
            if ((otherPublished - published).Duration() > Window) continue;
            var similarity = MinHash.Similarity(signature, other);
            if (similarity >= Threshold && similarity > (best?.Similarity ?? 0)) best = (id, similarity);
        }
        return best;
    }

    /// <summary>The most similar story within the window, if it passes the threshold.</summary>
    public (string StoryId, double Similarity)? Find(uint[] signature, DateTime published)
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        for (var band = 0; band < Bands; band++)
            if (_bands.TryGetValue(BandKey(signature, band), out var ids))
                lock (ids) candidates.UnionWith(ids);
        (string, double)? best = null;
        foreach (var id in candidates)
        {
            if (!_stories.TryGetValue(id, out var other) || (other.Published - published).Duration() > Window) continue;
            var similarity = MinHash.Similarity(signature, other.Signature);
            if (similarity >= Threshold && similarity > (best?.Item2 ?? 0)) best = (id, similarity);
        }
        return best;
    }

    public void Add(string storyId, uint[] signature, DateTime published)
    {
        if (!_stories.TryAdd(storyId, (signature, published))) return;
        for (var band = 0; band < Bands; band++)
        {
            var ids = _bands.GetOrAdd(BandKey(signature, band), _ => []);
            lock (ids) ids.Add(storyId);
        }
    }

    private static ulong BandKey(uint[] signature, int band)
    {
        var hash = 14695981039346656037UL ^ (ulong)band;
        for (var r = band * Rows; r < (band + 1) * Rows; r++) hash = (hash ^ signature[r]) * 1099511628211UL;
        return hash;
    }
}
