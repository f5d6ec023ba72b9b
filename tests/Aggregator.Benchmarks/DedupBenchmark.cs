using System.Diagnostics;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;

namespace Aggregator.Benchmarks;

/// <summary>
/// The near-duplicate stage alone (MinHash signature + LSH lookup + insert), single thread, over a
/// synthetic labelled stream: originals, wire copies of an earlier original (word edits, truncation,
/// added boilerplate), and follow-ups (a new story that repeats one or two background paragraphs of
/// an earlier one), which must stay apart. Reports throughput, lookup time per item as the index
/// grows (it must stay flat), pairwise precision/recall, and memory.
/// </summary>
internal static class DedupBenchmark
{
    private static readonly string[] Words = BuildVocabulary();
    private static readonly string[] Boilerplate =
    [
        "For the latest headlines, follow our Google News channel online or via the app.",
        "This story was provided by a wire service and has not been edited by our newsroom, apart from the headline and minor style changes.",
        "Sign up for our morning newsletter to get the day's most important stories delivered to your inbox before breakfast.",
    ];

    public static void Run(int items, double duplicateShare, double followUpShare)
    {
        var now = DateTime.UtcNow;
        var index = new NearDuplicateIndex(TimeSpan.FromDays(30));
        var storyOfItem = new string[items];
        var truth = new int[items]; // the original each item copies (itself for originals and follow-ups)
        var bodies = new Dictionary<int, List<string>>();
        var rng = new Random(7);
        long signatureTicks = 0, lookupTicks = 0, addTicks = 0;
        var lookupAt = new List<(int Stories, double MicrosPerLookup)>();
        long windowTicks = 0;
        var windowStart = 0;
        var (tp, fp, fn) = (0, 0, 0);
        var (wrongFollowUps, missedTruncated) = (0, 0);
        var kind = "";
        var before = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < items; i++)
        {
            var roll = rng.NextDouble();
            List<string> paragraphs;
            var original = i;
            if (i > 100 && roll < duplicateShare)
            {
                original = PickOriginal(rng, i, truth);
                paragraphs = Copy(bodies[original], rng);
                kind = paragraphs.Count < bodies[original].Count ? "truncated" : "copy";
            }
            else if (i > 100 && roll < duplicateShare + followUpShare)
            {
                var earlier = bodies[PickOriginal(rng, i, truth)];
                paragraphs = NewStory(rng);
                paragraphs.InsertRange(rng.Next(paragraphs.Count), earlier.Take(rng.Next(1, 3)));
                kind = "follow-up";
            }
            else
            {
                paragraphs = NewStory(rng);
                kind = "new";
            }
            truth[i] = original;
            if (original == i) bodies[i] = paragraphs;
            var published = now.AddMinutes(-rng.Next(0, 6 * 24 * 60));
            var text = string.Join("\n\n", paragraphs);

            var t0 = Stopwatch.GetTimestamp();
            var signature = MinHash.Signature(text)!;
            var t1 = Stopwatch.GetTimestamp();
            var match = index.FindForWriter(signature, published);
            var t2 = Stopwatch.GetTimestamp();
            signatureTicks += t1 - t0;
            lookupTicks += t2 - t1;
            windowTicks += t2 - t1;

            var expected = original == i ? null : storyOfItem[original];
            if (match is var (storyId, _))
            {
                storyOfItem[i] = storyId;
                if (storyId == expected) tp++;
                else
                {
                    fp++;
                    if (kind == "follow-up") wrongFollowUps++;
                    if (expected is not null) fn++;
                }
            }
            else
            {
                storyOfItem[i] = $"s{i}";
                if (expected is not null) fn++;
                if (kind == "truncated") missedTruncated++;
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
        bodies.Clear();
        bodies.TrimExcess();
        var after = GC.GetTotalMemory(true);
        GC.KeepAlive(index);

        double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
        var stage = Seconds(signatureTicks + lookupTicks + addTicks);
        Console.WriteLine($"items:               {items:N0} ({duplicateShare:P0} wire copies with edits, {followUpShare:P0} follow-ups reusing background paragraphs)");
        Console.WriteLine($"stories indexed:     {index.Count:N0}");
        Console.WriteLine($"fingerprint+lookup:  {items / stage:N0} items/s single thread (signature {Seconds(signatureTicks) * 1e6 / items:N1} µs, lookup {Seconds(lookupTicks) * 1e6 / items:N1} µs, insert {Seconds(addTicks) * 1e6 / items:N2} µs per item)");
        Console.WriteLine($"lookup per item as the index grows: {string.Join(", ", lookupAt.Where((_, k) => k == 0 || (k + 1) % 3 == 0 || k == lookupAt.Count - 1).Select(l => $"{l.Stories / 1000.0:N0}k stories {l.MicrosPerLookup:N1} µs"))}");
        Console.WriteLine($"pairwise precision:  {(double)tp / Math.Max(1, tp + fp):F4} ({fp:N0} wrong joins, {wrongFollowUps:N0} of them follow-ups)");
        Console.WriteLine($"pairwise recall:     {(double)tp / Math.Max(1, tp + fn):F4} ({fn:N0} copies missed of {tp + fn:N0}, {missedTruncated:N0} of them truncated)");
        Console.WriteLine($"index memory:        {(after - before) / 1024.0 / 1024.0:N1} MiB managed (index, plus 100 B per item of labels), {(after - before) / (double)index.Count:N0} B per story");
        Console.WriteLine($"elapsed:             {clock.Elapsed.TotalSeconds:N1} s including text generation");
    }

    private static int PickOriginal(Random rng, int i, int[] truth)
    {
        // Wire copies appear within hours to days: pick among the most recent 20,000 items' originals.
        var candidate = rng.Next(Math.Max(0, i - 20_000), i);
        return truth[candidate];
    }

    private static List<string> NewStory(Random rng)
    {
        var list = new List<string>();
        for (var p = rng.Next(5, 11); p > 0; p--) list.Add(Sentence(rng, rng.Next(25, 50)));
        return list;
    }

    /// <summary>A republished copy: every 8-20 words one changed, sometimes truncated, sometimes with boilerplate added.</summary>
    private static List<string> Copy(List<string> original, Random rng)
    {
        var every = rng.Next(8, 21);
        var copy = original.Select(p => string.Join(' ', p.Split(' ').Select((w, k) => k % every == every - 1 ? Words[rng.Next(Words.Length)] : w))).ToList();
        if (rng.NextDouble() < 0.3) copy = copy.Take(Math.Max(3, (int)(copy.Count * (0.6 + rng.NextDouble() * 0.3)))).ToList();
        if (rng.NextDouble() < 0.3) copy.Add(Boilerplate[rng.Next(Boilerplate.Length)]);
        return copy;
    }

    /// <summary>Zipf-distributed words: common words recur across unrelated stories, as in real news.</summary>
    private static string Sentence(Random rng, int length) =>
        string.Join(' ', Enumerable.Range(0, length).Select(_ => Words[Zipf(rng)])) + ".";

    private static int Zipf(Random rng) => Math.Min(Words.Length - 1, (int)Math.Floor(Math.Pow(Words.Length + 1.0, rng.NextDouble())) - 1);

    private static string[] BuildVocabulary()
    {
        var rng = new Random(42);
        const string letters = "etaoinshrdlucmfwypvbgkqjxz";
        return Enumerable.Range(0, 30_000).Select(_ => new string(Enumerable.Range(0, rng.Next(2, 10)).Select(_ => letters[(int)Math.Min(25, rng.NextDouble() * rng.NextDouble() * 26)]).ToArray())).Distinct().ToArray();
    }
}
