namespace Aggregator.Core.Storage;

/// <summary>
/// The terms of <see cref="TermIndex"/>: term → its <see cref="PostingList"/>, and the terms in
/// ordinal order for prefix lookups. New terms are merged into a small sorted run, and that run into
/// the large one only once it grows past <see cref="RecentLimit"/>, so a commit does not copy every term.
/// Not thread-safe: <see cref="TermIndex"/> holds its lock.
/// </summary>
internal sealed class TermDictionary
{
    private const int RecentLimit = 4096;
    private Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private PostingList[] _postings = new PostingList[1024];
    private string[] _sorted = [];
    private string[] _recent = [];
    /// <summary>The ids of <see cref="_sorted"/>'s and <see cref="_recent"/>'s terms, in the same order (a prefix lookup reads no dictionary).</summary>
    private int[] _sortedIds = [];
    private int[] _recentIds = [];
    private readonly List<string> _pending = [];

    public int Count => _ids.Count;

    /// <summary>The list of <paramref name="term"/>, created empty if it is new (to be added to at once).</summary>
    public ref PostingList Postings(string term)
    {
        if (!_ids.TryGetValue(term, out var id))
        {
            id = _ids.Count;
            if (id == _postings.Length) Array.Resize(ref _postings, _postings.Length * 2);
            _ids[term] = id;
            _pending.Add(term);
        }
        return ref _postings[id];
    }

    public bool TryFind(string term, out PostingList list)
    {
        list = _ids.TryGetValue(term, out var id) ? _postings[id] : default;
        return list.Count > 0;
    }

    /// <summary>Adds the lists of every term that starts with <paramref name="prefix"/>.</summary>
    public void Prefixed(string prefix, List<PostingList> into)
    {
        Prefixed(_sorted, _sortedIds, prefix, into);
        Prefixed(_recent, _recentIds, prefix, into);
    }

    private void Prefixed(string[] sorted, int[] ids, string prefix, List<PostingList> into)
    {
        for (var i = LowerBound(sorted, prefix); i < sorted.Length && sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            if (_postings[ids[i]] is { Count: > 0 } list) into.Add(list);
    }

    private static int LowerBound(string[] sorted, string value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (string.CompareOrdinal(sorted[mid], value) < 0) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    /// <summary>Makes the terms added since the last call findable by prefix; <paramref name="trim"/> after a bulk load.</summary>
    public void Settle(bool trim)
    {
        if (_pending.Count > 0)
        {
            _pending.Sort(StringComparer.Ordinal);
            (_recent, _recentIds) = Merge(_recent, _recentIds, [.. _pending], [.. _pending.Select(t => _ids[t])]);
            _pending.Clear();
        }
        if (_recent.Length > RecentLimit || (trim && _recent.Length > 0))
        {
            (_sorted, _sortedIds) = Merge(_sorted, _sortedIds, _recent, _recentIds);
            (_recent, _recentIds) = ([], []);
        }
        if (!trim) return;
        for (var i = 0; i < _ids.Count; i++) _postings[i].Trim();
    }

    private static (string[] Terms, int[] Ids) Merge(string[] a, int[] aIds, string[] b, int[] bIds)
    {
        var merged = new string[a.Length + b.Length];
        var ids = new int[merged.Length];
        int i = 0, j = 0, k = 0;
        for (; i < a.Length && j < b.Length; k++)
        {
            if (string.CompareOrdinal(a[i], b[j]) <= 0) (merged[k], ids[k]) = (a[i], aIds[i++]);
            else (merged[k], ids[k]) = (b[j], bIds[j++]);
        }
        for (; i < a.Length; k++) (merged[k], ids[k]) = (a[i], aIds[i++]);
        for (; j < b.Length; k++) (merged[k], ids[k]) = (b[j], bIds[j++]);
        return (merged, ids);
    }

    /// <summary>Every term sorted, with its id: after a load or a renumbering.</summary>
    private void SortAll()
    {
        _sorted = [.. _ids.Keys.Order(StringComparer.Ordinal)];
        _sortedIds = [.. _sorted.Select(t => _ids[t])];
        (_recent, _recentIds) = ([], []);
        _pending.Clear();
    }

    /// <summary>Every term and its list, in id order (for <see cref="TermIndex.Save"/>).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_ids.Count);
        foreach (var (term, id) in _ids.OrderBy(t => t.Value))
        {
            writer.Write(term);
            _postings[id].WriteTo(writer);
        }
    }

    /// <summary>A dictionary as <see cref="WriteTo"/> wrote it (every list checked against the <paramref name="ordinals"/> in use), its terms sorted for prefix lookups.</summary>
    public static TermDictionary ReadFrom(BinaryReader reader, int ordinals)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException("search snapshot: negative term count");
        var terms = new TermDictionary { _ids = new Dictionary<string, int>(count, StringComparer.Ordinal), _postings = new PostingList[Math.Max(1024, count)] };
        for (var id = 0; id < count; id++)
        {
            var term = reader.ReadString();
            terms._ids.Add(term, id);
            terms._postings[id] = PostingList.ReadFrom(reader, ordinals);
        }
        terms.SortAll();
        return terms;
    }

    /// <summary>Renumbers every list (<paramref name="remap"/>: old ordinal → new, or -1 for a dead one); terms left empty go.</summary>
    public void Remap(int[] remap)
    {
        var ids = new Dictionary<string, int>(_ids.Count, StringComparer.Ordinal);
        var postings = new PostingList[Math.Max(1024, _ids.Count)];
        var ordinals = new List<int>();
        foreach (var (term, id) in _ids)
        {
            ordinals.Clear();
            _postings[id].CopyTo(ordinals);
            var list = default(PostingList);
            foreach (var o in ordinals)
                if (remap[o] >= 0) list.Add(remap[o]);
            if (list.Count == 0) continue;
            list.Trim();
            postings[ids.Count] = list;
            ids[term] = ids.Count;
        }
        _ids = ids;
        _postings = postings;
        SortAll();
    }
}
