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

    /// <summary>Null for bodies too short to compare safely.</summary>
    public static uint[]? Signature(string text)
    {
        var words = text.ToLowerInvariant().Split(TextTools.WordSeparators, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < MinWords) return null;
        var signature = new uint[Size];
        Array.Fill(signature, uint.MaxValue);
        for (var i = 0; i + ShingleWords <= words.Length; i++)
        {
            var shingle = Fnv(words, i);
            for (var k = 0; k < Size; k++)
            {
                var value = (uint)((Permutations[k].A * shingle + Permutations[k].B) >> 32);
                if (value < signature[k]) signature[k] = value;
            }
        }
        return signature;
    }

    public static double Similarity(uint[] a, uint[] b)
    {
        var equal = 0;
        for (var k = 0; k < Size; k++) if (a[k] == b[k]) equal++;
        return (double)equal / Size;
    }

    private static ulong Fnv(string[] words, int start)
    {
        var hash = 14695981039346656037UL;
        for (var w = start; w < start + ShingleWords; w++)
        {
            foreach (var c in words[w]) hash = (hash ^ c) * 1099511628211UL;
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
