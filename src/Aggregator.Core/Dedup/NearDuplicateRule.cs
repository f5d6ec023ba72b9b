namespace Aggregator.Core.Dedup;

/// <summary>
/// Whether two bodies are the same story, from the MinHash Jaccard estimate and, when both
/// shingle counts are known, the containment of the smaller shingle set in the larger:
/// |A∩B| = J(|A|+|B|)/(1+J). A copy cut to half with a local paragraph added has a low Jaccard
/// (the original's other half counts against it) but most of it lies inside the original; a
/// follow-up that repeats a few background paragraphs has some overlap, but most of the earlier
/// story is not in it, and most of it is not in the earlier story.
/// </summary>
public static class NearDuplicateRule
{
    /// <summary>Jaccard alone, for a signature stored without its shingle count (the rule before counts).</summary>
    public const double JaccardWithoutCounts = 0.3;

    /// <summary>
    /// Jaccard that joins whatever the sizes (21 of 64 hashes equal, one more than 0.3 asks): with
    /// counts known, the cut copies 0.3 used to catch are caught by containment, and the extra hash
    /// keeps out follow-ups whose estimate noise lifts them to 0.3.
    /// </summary>
    public const double Jaccard = 0.32;

    /// <summary>Containment of the smaller set that joins a pair of unequal sizes (cut copies).</summary>
    public const double Containment = 0.6;

    /// <summary>
    /// The Jaccard below which containment is not trusted: with 64 hashes a small overlap's estimate
    /// is too noisy (±0.05, so follow-ups reach 0.6 by chance), and the index's 32 bands of 2 rows
    /// surface a pair at 0.25 87 % of the time but at 0.2 only 73 %.
    /// </summary>
    public const double ContainmentFloor = 0.25;

    /// <summary>Same story or not; <c>Score</c> ranks candidates (the containment when counts are known, else the Jaccard).</summary>
    public static (bool Same, double Score) Judge(double jaccard, int shinglesA, int shinglesB)
    {
        if (shinglesA <= 0 || shinglesB <= 0) return (jaccard >= JaccardWithoutCounts, jaccard);
        var containment = Math.Min(1, jaccard * (shinglesA + shinglesB) / (1 + jaccard) / Math.Min(shinglesA, shinglesB));
        var same = jaccard >= Jaccard || (containment >= Containment && jaccard >= ContainmentFloor);
        return (same, containment);
    }

    /// <summary>A lead share at which the pair is taken to tell the same story's top.</summary>
    public const double SharedLead = 0.5;

    /// <summary>
    /// <paramref name="a"/> the body being matched, <paramref name="b"/> a stored story. When the
    /// stored story's lead sample is known, it decides which thresholds apply: a pair that shares
    /// the lead joins on a lower overlap (cut copies, copies with local paragraphs), a pair that does
    /// not needs a strong one (follow-ups repeat background, not the lead).
    /// </summary>
    public static (bool Same, double Score) Judge(TextSignature a, TextSignature b)
    {
        var jaccard = MinHash.Similarity(a.MinHashes, b.MinHashes);
        var (same, score) = Judge(jaccard, a.Shingles, b.Shingles);
        if (a.LeadShareOf(b) is not { } lead || a.Shingles <= 0 || b.Shingles <= 0) return (same, score);
        // How much of the body being matched lies in the stored story: nearly all of a copy (cut or
        // not), little of a follow-up, even one that quotes the stored story's lead.
        var inStored = Math.Min(1, jaccard * (a.Shingles + b.Shingles) / (1 + jaccard) / a.Shingles);
        return lead >= SharedLead
            ? (same || jaccard >= LeadJaccard || (inStored >= LeadContainment && jaccard >= LeadFloor), score)
            : (jaccard >= NoLeadJaccard || (score >= NoLeadContainment && jaccard >= Jaccard), score);
    }

    /// <summary>The candidate the rule judges the same story with the highest score, if any: one choice for every store.</summary>
    public static (string StoryId, double Score)? Best(TextSignature signature, IEnumerable<(string Id, TextSignature Other)> candidates)
    {
        (string, double)? best = null;
        foreach (var (id, other) in candidates)
            if (Judge(signature, other) is (true, var score) && score > (best?.Item2 ?? 0)) best = (id, score);
        return best;
    }

    public const double LeadJaccard = 0.32, LeadContainment = 0.4, LeadFloor = 0.12;
    public const double NoLeadJaccard = 0.45, NoLeadContainment = 0.8;
}
