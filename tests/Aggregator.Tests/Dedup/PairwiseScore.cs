namespace Aggregator.Tests.Dedup;

/// <summary>
/// Pairwise precision and recall of a run over a <see cref="WireCorpus"/> stream: each item is
/// either joined to a story or starts its own; a join is right only to the story its original went
/// to. Follow-ups and new stories that join anything are wrong joins.
/// </summary>
internal sealed class PairwiseScore
{
    public int Right { get; private set; }
    public int Wrong { get; private set; }
    public int Missed { get; private set; }
    public int FollowUpsJoined { get; private set; }
    public int CutMissed { get; private set; }

    public double Precision => (double)Right / Math.Max(1, Right + Wrong);
    public double Recall => (double)Right / Math.Max(1, Right + Missed);

    /// <param name="expected">the story of the item's original, null for new stories and follow-ups</param>
    /// <param name="joined">the story the item was joined to, null when it started its own</param>
    public void Record(WireCorpus.Item item, string? expected, string? joined)
    {
        if (joined is not null && joined == expected) Right++;
        else if (joined is not null)
        {
            Wrong++;
            if (item.Kind == WireCorpus.Kind.FollowUp) FollowUpsJoined++;
            if (expected is not null) Missed++;
        }
        else if (expected is not null)
        {
            Missed++;
            if (item.Kind == WireCorpus.Kind.Truncated) CutMissed++;
        }
    }

    public override string ToString() =>
        $"P {Precision:F4} ({Wrong} wrong joins, {FollowUpsJoined} of them follow-ups), R {Recall:F4} ({Missed} copies missed of {Right + Missed}, {CutMissed} of them cut)";
}
