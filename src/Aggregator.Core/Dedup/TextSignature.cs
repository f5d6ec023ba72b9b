namespace Aggregator.Core.Dedup;

/// <summary>
/// A body's <see cref="MinHash"/> signature and the number of distinct word 3-shingles it was
/// taken over, which turns the Jaccard estimate into an overlap and a containment
/// (<see cref="NearDuplicateRule"/>). <see cref="Shingles"/> is 0 when unknown: a signature stored
/// before counts were kept converts implicitly and is judged by Jaccard alone.
/// </summary>
public sealed record TextSignature(uint[] MinHashes, int Shingles)
{
    public const int LeadSize = 8;

    /// <summary>
    /// A sample of the lead paragraph's shingles (the <see cref="LeadSize"/> smallest hashes), kept
    /// with the story: a copy carries the original's lead (cut copies keep the top), a follow-up that
    /// reuses background paragraphs does not. Null when unknown (stored before it was kept).
    /// </summary>
    public ulong[]? Lead { get; init; }

    /// <summary>Every distinct shingle hash, sorted: only for the body being matched, never stored.</summary>
    public ulong[]? All { get; init; }

    /// <summary>The share of <paramref name="stored"/>'s lead sample found in this body; null when either side lacks what it needs.</summary>
    public double? LeadShareOf(TextSignature stored)
    {
        if (All is null || stored.Lead is not { Length: > 0 } lead) return null;
        var found = 0;
        foreach (var h in lead) if (Array.BinarySearch(All, h) >= 0) found++;
        return (double)found / lead.Length;
    }

    public static implicit operator TextSignature(uint[] storedMinHashes) => new(storedMinHashes, 0);

    /// <summary>The stored form, the same for every store: the hashes and the lead sample as little-endian bytes.</summary>
    public (byte[] MinHashes, byte[]? Lead) ToStored() =>
        (System.Runtime.InteropServices.MemoryMarshal.AsBytes(MinHashes.AsSpan()).ToArray(),
         Lead is null ? null : System.Runtime.InteropServices.MemoryMarshal.AsBytes(Lead.AsSpan()).ToArray());

    public static TextSignature FromStored(byte[] minHashes, int shingles, byte[]? lead) =>
        new(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(minHashes).ToArray(), shingles)
        {
            Lead = lead is null ? null : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(lead).ToArray(),
        };
}
