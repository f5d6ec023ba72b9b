using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;

namespace Aggregator.Tests.Cluster;

/// <summary>
/// The premise of the 3-node test: any two outlets' copies of an article are near-duplicates that
/// share an LSH band. Matching compares an item with the first copy a story was made from, so if two
/// copies were not, an article could make two stories in one arrival order and one in another —
/// whichever node polled first — and the test would measure the threshold, not the cluster.
/// </summary>
public sealed class NewsSiteTests
{
    [Fact]
    public void EveryTwoCopiesOfAnArticleAreNearDuplicates_SoNoArrivalOrderSplitsIt()
    {
        var texts = NewsSite.Texts();
        var apart = new List<string>();
        for (var article = 0; article < NewsSite.Feeds; article++)
        {
            var outlets = Enumerable.Range(0, NewsSite.ArticlesPerFeed).Select(k => (article - k + NewsSite.Feeds) % NewsSite.Feeds).ToArray();
            var signatures = outlets.Select(o => MinHash.Compute(NewsSite.Text(texts, o, article) + $"\n\nReporting by the outlet {o} desk.")!).ToArray();
            for (var a = 0; a < signatures.Length; a++)
                for (var b = a + 1; b < signatures.Length; b++)
                {
                    var sharesBand = Enumerable.Range(0, NearDuplicateIndex.Bands).Any(i => NearDuplicateIndex.BandKey(signatures[a], i) == NearDuplicateIndex.BandKey(signatures[b], i));
                    if (!sharesBand || !NearDuplicateRule.Judge(signatures[a], signatures[b]).Same || !NearDuplicateRule.Judge(signatures[b], signatures[a]).Same) apart.Add($"article {article}: outlets {outlets[a]} and {outlets[b]}");
                }
        }
        Assert.Empty(apart);
    }
}
