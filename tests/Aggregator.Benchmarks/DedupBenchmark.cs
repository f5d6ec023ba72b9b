using System.Diagnostics;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Tests.Dedup;

namespace Aggregator.Benchmarks;

/// <summary>
/// The near-duplicate stage alone (MinHash signature + LSH lookup + insert), single thread, over a
/// synthetic labelled stream (<see cref="WireCorpus"/>): originals, wire copies of an earlier
/// original, and follow-ups that repeat background paragraphs of an earlier one, which must stay
/// apart. Reports throughput, lookup time per item as the index grows (it must stay flat),
/// pairwise precision/recall, and memory. The clock is fixed: results depend only on the seed.
/// </summary>
internal static class DedupBenchmark
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    public static void Run(int items, double duplicateShare, double followUpShare, WireCorpus.Profile profile, int seed, bool withoutCounts)
    {
        var index = new NearDuplicateIndex(TimeSpan.FromDays(30));
        var storyOfItem = new string[items];
        var score = new PairwiseScore();
        long signatureTicks = 0, lookupTicks = 0, addTicks = 0;
        var lookupAt = new List<(int Stories, double MicrosPerLookup)>();
        long windowTicks = 0;
        var windowStart = 0;
        var before = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();

        foreach (var item in WireCorpus.Generate(profile, items, seed, duplicateShare, followUpShare))
        {
            var i = item.Index;
            var published = Now.AddMinutes(-item.MinutesAgo);
            var t0 = Stopwatch.GetTimestamp();
            var computed = MinHash.Compute(item.Text)!;
            TextSignature signature = withoutCounts ? computed.MinHashes : computed; // as signatures stored before counts: Jaccard alone
            var t1 = Stopwatch.GetTimestamp();
            var match = index.FindForWriter(signature, published);
            var t2 = Stopwatch.GetTimestamp();
            signatureTicks += t1 - t0;
            lookupTicks += t2 - t1;
            windowTicks += t2 - t1;

            score.Record(item, item.Original == i ? null : storyOfItem[item.Original], match?.StoryId);
            if (match is var (storyId, _)) storyOfItem[i] = storyId;
            else
            {
                storyOfItem[i] = $"s{i}";
                var t3 = Stopwatch.GetTimestamp();
                index.Add(storyOfItem[i], signature, published);
                addTicks += Stopwatch.GetTimestamp() - t3;
            }
            if ((i + 1) % 10_000 == 0)
            {
                lookupAt.Add((index.Count, windowTicks * 1e6 / Stopwatch.Frequency / (i + 1 - windowStart)));
                (windowTicks, windowStart) = (0, i + 1);
            }
        }
        clock.Stop();
        var after = GC.GetTotalMemory(true);
        GC.KeepAlive(index);

        double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
        var stage = Seconds(signatureTicks + lookupTicks + addTicks);
        Console.WriteLine($"items:               {items:N0} ({profile} profile, seed {seed}{(withoutCounts ? ", without shingle counts" : "")}: {duplicateShare:P0} wire copies, {followUpShare:P0} follow-ups reusing background paragraphs)");
        Console.WriteLine($"stories indexed:     {index.Count:N0}");
        Console.WriteLine($"fingerprint+lookup:  {items / stage:N0} items/s single thread (signature {Seconds(signatureTicks) * 1e6 / items:N1} µs, lookup {Seconds(lookupTicks) * 1e6 / items:N1} µs, insert {Seconds(addTicks) * 1e6 / items:N2} µs per item)");
        if (lookupAt.Count > 0)
            Console.WriteLine($"lookup per item as the index grows: {string.Join(", ", lookupAt.Where((_, k) => k == 0 || (k + 1) % 3 == 0 || k == lookupAt.Count - 1).Select(l => $"{l.Stories / 1000.0:N0}k stories {l.MicrosPerLookup:N1} µs"))}");
        Console.WriteLine($"pairwise precision:  {score.Precision:F4} ({score.Wrong:N0} wrong joins, {score.FollowUpsJoined:N0} of them follow-ups)");
        Console.WriteLine($"pairwise recall:     {score.Recall:F4} ({score.Missed:N0} copies missed of {score.Right + score.Missed:N0}, {score.CutMissed:N0} of them cut)");
        Console.WriteLine($"index memory:        {(after - before) / 1024.0 / 1024.0:N1} MiB managed (index, plus labels), {(after - before) / (double)Math.Max(1, index.Count):N0} B per story");
        Console.WriteLine($"elapsed:             {clock.Elapsed.TotalSeconds:N1} s including text generation");
    }

}
