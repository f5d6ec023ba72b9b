namespace Aggregator.Core.Dedup;

/// <summary>
/// A body's <see cref="MinHash"/> signature and the number of distinct word 3-shingles it was
/// taken over, which turns the Jaccard estimate into an overlap and a containment
/// (<see cref="NearDuplicateRule"/>). <see cref="Shingles"/> is 0 when unknown: a signature stored
/// before counts were kept converts implicitly and is judged by Jaccard alone.
/// </summary>
public sealed record TextSignature(uint[] MinHashes, int Shingles)
{
    public static implicit operator TextSignature(uint[] storedMinHashes) => new(storedMinHashes, 0);
}
