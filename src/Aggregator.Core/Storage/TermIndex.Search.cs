using System.Buffers;

namespace Aggregator.Core.Storage;

/// <summary>Searching: the AND of the terms' lists, then the filters the index knows, then the newest first.</summary>
internal sealed partial class TermIndex
{
    /// <summary>One story found: its id, and what a list shows of it (<see cref="StoryListing.Decode"/>).</summary>
    public readonly record struct Hit(string Id, string Category, long Ticks, byte[] Listing)
    {
        public StoryRecord Listed() => StoryListing.Decode(Id, Category, Ticks, Listing);
    }

    /// <summary>
    /// The stories matching <paramref name="search"/> and every filter of <paramref name="filter"/>
    /// (cursor, time range, category, feed), newest first: the newest <paramref name="want"/> of them.
    /// </summary>
    public List<Hit> Find(SearchQuery search, StoryQuery filter, int want)
    {
        if (search.IsEmpty || want <= 0) return [];
        _lock.EnterReadLock();
        try
        {
            return Matching(search) is { Count: > 0 } candidates ? Newest(Filtered(candidates, filter), want) : [];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Ordinals (ascending, dead ones included) of the stories with every term and a term starting with the prefix.</summary>
    private List<int>? Matching(SearchQuery search)
    {
        var lists = new List<PostingList>(search.Terms.Count);
        foreach (var term in search.Terms)
        {
            if (!_terms.TryFind(term, out var list)) return null;
            lists.Add(list);
        }
        var prefixed = new List<PostingList>();
        _terms.Prefixed(search.Prefix!, prefixed);
        if (prefixed.Count == 0) return null;
        if (prefixed.Count == 1)
        {
            lists.Add(prefixed[0]);
            prefixed.Clear();
        }
        // The rarest term first: every step only narrows what it found.
        lists.Sort((a, b) => a.Count.CompareTo(b.Count));
        var candidates = new List<int>(lists.Count > 0 ? lists[0].Count : 0);
        if (lists.Count > 0)
        {
            lists[0].CopyTo(candidates);
            for (var i = 1; i < lists.Count && candidates.Count > 0; i++) lists[i].IntersectWith(candidates);
            if (prefixed.Count == 0 || candidates.Count == 0) return candidates;
        }
        // A short prefix stands for many terms: their union as a bit set, one bit per ordinal.
        var bits = ArrayPool<ulong>.Shared.Rent((_stories.Count >> 6) + 1);
        try
        {
            Array.Clear(bits);
            foreach (var list in prefixed) list.SetBits(bits);
            if (lists.Count > 0)
            {
                candidates.RemoveAll(o => (bits[o >> 6] & (1UL << (o & 63))) == 0);
                return candidates;
            }
            for (var o = 0; o < _stories.Count; o++)
                if ((bits[o >> 6] & (1UL << (o & 63))) != 0) candidates.Add(o);
            return candidates;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(bits);
        }
    }

    /// <summary>The live candidates inside the cursor, the time range, the category and the feed.</summary>
    private List<int> Filtered(List<int> candidates, StoryQuery filter)
    {
        var since = filter.Since?.Ticks ?? long.MinValue;
        var until = filter.Until?.Ticks ?? long.MaxValue;
        var kept = new List<int>(candidates.Count);
        foreach (var o in candidates)
        {
            if (_stories.Id[o] is not { } id) continue;
            var ticks = _stories.Ticks[o];
            if (ticks < since || ticks > until) continue;
            if (filter.Category is not null && !string.Equals(_stories.Category[o], filter.Category, StringComparison.OrdinalIgnoreCase)) continue;
            if (filter.Before is not null && CompareSortKey(ticks, id, filter.Before) >= 0) continue;
            if (filter.FeedId is not null && !StoryListing.HasFeed(_stories.Listing[o]!, filter.FeedId)) continue;
            kept.Add(o);
        }
        return kept;
    }

    /// <summary>The newest <paramref name="want"/> ordinals' hits, newest first (the order of <see cref="StoryRecord.SortKey"/>, descending).</summary>
    private List<Hit> Newest(List<int> ordinals, int want)
    {
        Comparison<int> newestFirst = (a, b) => Compare(b, a);
        if (want < 10_000 && ordinals.Count > want * 4)
        {
            // Many matches (a common word): keep the newest few in a heap instead of sorting them all.
            var heap = new PriorityQueue<int, int>(want + 1, Comparer<int>.Create(Compare));
            foreach (var o in ordinals)
            {
                if (heap.Count < want) heap.Enqueue(o, o);
                else if (Compare(o, heap.Peek()) > 0) heap.EnqueueDequeue(o, o);
            }
            ordinals = [.. heap.UnorderedItems.Select(x => x.Element)];
        }
        ordinals.Sort(newestFirst);
        return ordinals.Take(want).Select(o => new Hit(_stories.Id[o]!, _stories.Category[o], _stories.Ticks[o], _stories.Listing[o]!)).ToList();
    }

    /// <summary>Two ordinals in sort-key order: published ticks, then id (ordinal), as <see cref="StoryRecord.MakeSortKey"/> makes them.</summary>
    private int Compare(int a, int b)
    {
        var byTime = _stories.Ticks[a].CompareTo(_stories.Ticks[b]);
        return byTime != 0 ? byTime : string.CompareOrdinal(_stories.Id[a], _stories.Id[b]);
    }

    /// <summary>The story's sort key (<see cref="StoryRecord.MakeSortKey"/>) against a cursor, ordinally, without building the key.</summary>
    internal static int CompareSortKey(long ticks, string id, string cursor)
    {
        Span<char> digits = stackalloc char[19];
        ticks.TryFormat(digits, out _, "D19", System.Globalization.CultureInfo.InvariantCulture);
        var head = Math.Min(19, cursor.Length);
        var byTime = digits[..head].SequenceCompareTo(cursor.AsSpan(0, head));
        if (byTime != 0) return byTime;
        // Equal so far: a cursor shorter than the 19 digits sorts first.
        return cursor.Length < 19 ? 1 : id.AsSpan().SequenceCompareTo(cursor.AsSpan(19));
    }
}
