using Aggregator.Core.Extraction;

namespace Aggregator.Core.Dedup;

/// <summary>
/// MinHash signatures of a story body over word 3-shingles: the fraction of equal components
/// estimates the Jaccard similarity of the two shingle sets. Three-word shingles keep light edits
/// (a changed word touches three shingles) well above the threshold, while different stories on
/// the same topic share almost none.
/// </summary>
public static class MinHash
{
    public const int Size = 64;
    public const int MinWords = 60;
    private const int ShingleWords = 3;
    private static readonly (ulong A, ulong B)[] Permutations = CreatePermutations();

    private static readonly System.Buffers.SearchValues<char> Separators = System.Buffers.SearchValues.Create(TextTools.WordSeparators);

    /// <summary>The stored 64-value signature alone; null for bodies too short to compare safely.</summary>
    public static uint[]? Signature(string text) => Compute(text)?.MinHashes;

    /// <summary>
    /// The signature with its distinct-shingle count; null for bodies too short to compare safely.
    /// Words are the lower-cased runs between <see cref="TextTools.WordSeparators"/>; each shingle is
    /// hashed straight from the text, without allocating the words.
    /// </summary>
    public static TextSignature? Compute(string text)
    {
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(1, text.Length));
        try
        {
            return Compute(buffer.AsSpan(0, text.AsSpan().ToLowerInvariant(buffer)));
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static TextSignature? Compute(ReadOnlySpan<char> lower)
    {
        var words = new List<(int Start, int Length)>(lower.Length / 5);
        for (var at = 0; at < lower.Length;)
        {
            var end = lower[at..].IndexOfAny(Separators);
            var length = end < 0 ? lower.Length - at : end;
            if (length > 0) words.Add((at, length));
            at += length + 1;
        }
        if (words.Count < MinWords) return null;
        Span<ulong> shingles = words.Count <= 2048 ? stackalloc ulong[words.Count - ShingleWords + 1] : new ulong[words.Count - ShingleWords + 1];
        for (var i = 0; i < shingles.Length; i++) shingles[i] = Fnv(lower, words, i);
        var lead = Lead(shingles[..LeadShingles(lower, words, shingles.Length)]);
        var minima = Minima(shingles);
        var distinct = Distinct(shingles);
        return new TextSignature(minima, distinct) { Lead = lead, All = shingles[..distinct].ToArray() };
    }

    /// <summary>How many leading shingles make the lead: those of the first paragraph (blank-line separated), 12 to 60.</summary>
    private static int LeadShingles(ReadOnlySpan<char> lower, List<(int Start, int Length)> words, int count)
    {
        var end = lower.IndexOf("\n\n", StringComparison.Ordinal);
        var n = 0;
        if (end > 0) while (n < count && words[n + ShingleWords - 1].Start < end) n++;
        return Math.Clamp(n < 12 ? 40 : n, 1, Math.Min(60, count));
    }

    /// <summary>A sample of the lead: its <see cref="TextSignature.LeadSize"/> smallest distinct shingle hashes.</summary>
    private static ulong[] Lead(ReadOnlySpan<ulong> leadShingles)
    {
        var sorted = leadShingles.ToArray();
        Array.Sort(sorted);
        var sample = new List<ulong>(TextSignature.LeadSize);
        foreach (var h in sorted)
        {
            if (sample.Count > 0 && sample[^1] == h) continue;
            sample.Add(h);
            if (sample.Count == TextSignature.LeadSize) break;
        }
        return sample.ToArray();
    }

    /// <summary>The set size Jaccard is defined over: a shingle repeated in the text counts once.</summary>
    private static int Distinct(Span<ulong> shingles)
    {
        // Sorted and compacted in place: the first `distinct` values are the set, in order.
        shingles.Sort();
        var distinct = 1;
        for (var i = 1; i < shingles.Length; i++) if (shingles[i] != shingles[distinct - 1]) shingles[distinct++] = shingles[i];
        return distinct;
    }

    /// <summary>For each permutation k, the minimum over shingles of the high half of <c>a_k·s + b_k</c>.</summary>
    private static uint[] Minima(ReadOnlySpan<ulong> shingles)
    {
        var signature = new uint[Size];
        for (var k = 0; k < Size; k++)
        {
            var (a, b) = Permutations[k];
            var min = uint.MaxValue;
            foreach (var shingle in shingles)
            {
                var value = (uint)((a * shingle + b) >> 32);
                if (value < min) min = value;
            }
            signature[k] = min;
        }
        return signature;
    }

    public static double Similarity(uint[] a, uint[] b)
    {
        var equal = 0;
        for (var k = 0; k < Size; k++) if (a[k] == b[k]) equal++;
        return (double)equal / Size;
    }

    /// <summary>FNV-1a over "w1 w2 w3 " (each word followed by a space).</summary>
    private static ulong Fnv(ReadOnlySpan<char> text, List<(int Start, int Length)> words, int start)
    {
        var hash = 14695981039346656037UL;
        for (var w = start; w < start + ShingleWords; w++)
        {
            foreach (var c in text.Slice(words[w].Start, words[w].Length)) hash = (hash ^ c) * 1099511628211UL;
            hash = (hash ^ ' ') * 1099511628211UL;
        }
        return hash;
    }

    private static (ulong, ulong)[] CreatePermutations()
    {
        var random = new Random(20260101); // fixed: signatures are stored and must stay comparable
        return Enumerable.Range(0, Size).Select(_ => ((ulong)random.NextInt64() | 1UL, (ulong)random.NextInt64())).ToArray();
    }
}
