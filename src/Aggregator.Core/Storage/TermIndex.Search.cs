using System.Buffers;

namespace Aggregator.Core.Storage;

/// <summary>
/// Searching: the AND of the terms' lists, then the filters, then the newest first — window by
/// window from the newest ordinals back, so a common word or a short prefix costs what the page
/// needs, not what the whole store holds.
/// </summary>
internal sealed partial class TermIndex
{
    /// <summary>The narrowest window of ordinals a search reads; each next one is twice as wide.</summary>
    private const int MinWindow = 64;

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
            if (Lists(search) is not var (exact, prefixed)) return [];
            var newest = new PriorityQueue<int, int>(want + 1, Comparer<int>.Create(Compare));
            var candidates = new List<int>();
            var (since, until) = (filter.Since?.Ticks ?? long.MinValue, filter.Until?.Ticks ?? long.MaxValue);
            // Stories arrive roughly in publication order, so the newest ordinals hold the newest
            // stories; MaxTicks says when nothing further back can be newer than the page found.
            for (int high = _stories.Count, width = FirstWindow(exact, prefixed, want); high > 0; high -= width, width = (int)Math.Min(2L * width, int.MaxValue))
            {
                var low = Math.Max(0, high - width);
                candidates.Clear();
                Matching(exact, prefixed, low, high, candidates);
                foreach (var o in candidates)
                {
                    if (!Passes(o, filter, since, until)) continue;
                    if (newest.Count < want) newest.Enqueue(o, o);
                    else if (Compare(o, newest.Peek()) > 0) newest.EnqueueDequeue(o, o);
                }
                if (low == 0) break;
                var before = _stories.MaxTicks[low - 1];
                if (before < since || (newest.Count == want && before < _stories.Ticks[newest.Peek()])) break;
            }
            var found = newest.UnorderedItems.Select(x => x.Element).ToList();
            found.Sort((a, b) => Compare(b, a));
            return found.ConvertAll(o => new Hit(_stories.Id[o]!, _stories.Category[o], _stories.Ticks[o], _stories.Listing[o]!));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// A window expected to hold twice the page, from the rarest word's share of the stories (or the
    /// prefix's terms' shares summed, at most all of them): a word in every story reads a hundred
    /// ordinals, a rare one a wide stretch. Filters that reject many make later windows do the rest.
    /// </summary>
    private int FirstWindow(List<PostingList> exact, List<PostingList> prefixed, int want)
    {
        var stories = Math.Max(1, _stories.Count);
        double matching = stories;
        if (exact.Count > 0) matching = Math.Min(matching, exact[0].Count);
        if (prefixed.Count > 0) matching = Math.Min(matching, prefixed.Sum(l => (double)l.Count));
        var width = 2.0 * want * stories / Math.Max(1, matching);
        return (int)Math.Min(stories, Math.Max(MinWindow, width));
    }

    /// <summary>
    /// The lists of the query's whole words (rarest first) and of the terms its prefix starts (a
    /// single one counts as a whole word); null when a word or the prefix has none.
    /// </summary>
    private (List<PostingList> Exact, List<PostingList> Prefixed)? Lists(SearchQuery search)
    {
        var exact = new List<PostingList>(search.Terms.Count + 1);
        foreach (var term in search.Terms)
        {
            if (!_terms.TryFind(term, out var list)) return null;
            exact.Add(list);
        }
        var prefixed = new List<PostingList>();
        var prefix = search.Prefix!;
        if (InitialKey(prefix).Length == prefix.Length + 1)
        {
            if (_terms.TryFind(InitialKey(prefix), out var longer)) prefixed.Add(longer);
            if (_terms.TryFind(prefix, out var letter)) prefixed.Add(letter);
        }
        else _terms.Prefixed(prefix, prefixed);
        if (prefixed.Count == 0) return null;
        if (prefixed.Count == 1)
        {
            exact.Add(prefixed[0]);
            prefixed.Clear();
        }
        // The rarest term first: every step only narrows what it found.
        exact.Sort((a, b) => a.Count.CompareTo(b.Count));
        return (exact, prefixed);
    }

    /// <summary>Ordinals in [<paramref name="low"/>, <paramref name="high"/>) (ascending, dead ones included) with every whole word and a term of the prefix.</summary>
    private static void Matching(List<PostingList> exact, List<PostingList> prefixed, int low, int high, List<int> into)
    {
        if (exact.Count > 0)
        {
            exact[0].CopyRange(low, high, into);
            for (var i = 1; i < exact.Count && into.Count > 0; i++) exact[i].IntersectWith(into);
            if (prefixed.Count == 0 || into.Count == 0) return;
        }
        // A short prefix stands for many terms: their union in this window as a bit set, one bit per ordinal.
        var width = high - low;
        var bits = ArrayPool<ulong>.Shared.Rent((width >> 6) + 1);
        try
        {
            Array.Clear(bits, 0, (width >> 6) + 1);
            foreach (var list in prefixed) list.SetBits(bits, low, high);
            bool Set(int o) => (bits[(o - low) >> 6] & (1UL << ((o - low) & 63))) != 0;
            if (exact.Count > 0)
            {
                into.RemoveAll(o => !Set(o));
                return;
            }
            for (var word = 0; word <= width >> 6; word++)
                for (var w = bits[word]; w != 0; w &= w - 1)
                    into.Add(low + (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(w));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(bits);
        }
    }

    /// <summary>A live candidate inside the cursor, the time range, the category and the feed.</summary>
    private bool Passes(int o, StoryQuery filter, long since, long until)
    {
        if (_stories.Id[o] is not { } id) return false;
        var ticks = _stories.Ticks[o];
        if (ticks < since || ticks > until) return false;
        if (filter.Category is not null && !string.Equals(_stories.Category[o], filter.Category, StringComparison.OrdinalIgnoreCase)) return false;
        if (filter.Before is not null && CompareSortKey(ticks, id, filter.Before) >= 0) return false;
        return filter.FeedId is null || StoryListing.HasFeed(_stories.Listing[o]!, filter.FeedId);
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
