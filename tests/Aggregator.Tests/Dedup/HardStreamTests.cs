using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;

namespace Aggregator.Tests.Dedup;

/// <summary>
/// The index and rule over the harder labelled stream of the reliability issue (cut copies with
/// local paragraphs, heavy rewording, swaps, follow-ups reusing background paragraphs), 360 items
/// on each of three seeds, against the Jaccard-only rule stored signatures still get.
/// </summary>
public class HardStreamTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static PairwiseScore Run(int seed, bool withCounts)
    {
        var index = new NearDuplicateIndex(TimeSpan.FromDays(30));
        var storyOfItem = new Dictionary<int, string>();
        var score = new PairwiseScore();
        foreach (var item in WireCorpus.Generate(WireCorpus.Profile.Hard, 360, seed, 0.3, 0.15))
        {
            var computed = MinHash.Compute(item.Text)!;
            TextSignature signature = withCounts ? computed : computed.MinHashes;
            var published = Now.AddMinutes(-item.MinutesAgo);
            var match = index.FindForWriter(signature, published);
            score.Record(item, item.Original == item.Index ? null : storyOfItem[item.Original], match?.StoryId);
            storyOfItem[item.Index] = match?.StoryId ?? $"s{item.Index}";
            if (match is null) index.Add(storyOfItem[item.Index], signature, published);
        }
        return score;
    }

    [Fact]
    public void HardStream_WithShingleCountsAndLead_BeatsJaccardAloneOnEverySeed_AndReachesTheTargets()
    {
        var (right, wrong, missed, missedBefore) = (0, 0, 0, 0);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var (before, after) = (Run(seed, withCounts: false), Run(seed, withCounts: true));
            output.WriteLine($"seed {seed}: Jaccard alone {before}; with counts {after}");
            Assert.True(after.Wrong <= before.Wrong && after.Missed <= before.Missed, $"seed {seed}: {after} vs {before}");
            (right, wrong, missed, missedBefore) = (right + after.Right, wrong + after.Wrong, missed + after.Missed, missedBefore + before.Missed);
        }
        var (precision, recall) = ((double)right / (right + wrong), (double)right / (right + missed));
        output.WriteLine($"three seeds: P {precision:F4}, R {recall:F4}");
        Assert.True(missed < missedBefore, $"{missed} copies missed, {missedBefore} with Jaccard alone");
        Assert.True(precision >= 0.99, $"precision {precision:F4}");
        // The issue asks P >= 0.99 and R >= 0.97: the lead sample tells cut copies (which keep the
        // original's top) from follow-ups (which repeat background), where overlap alone cannot.
        Assert.True(recall >= 0.97, $"recall {recall:F4}");
    }
}
