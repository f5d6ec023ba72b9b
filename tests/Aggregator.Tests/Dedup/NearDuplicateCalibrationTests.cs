using Aggregator.Core.Dedup;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Dedup;

/// <summary>
/// A labelled set for the near-duplicate threshold: copies of real story bodies with light edits,
/// truncations and added boilerplate must reach it; different stories, including two on the same
/// topic with the same vocabulary, must not.
/// </summary>
public class NearDuplicateCalibrationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const double Threshold = NearDuplicateRule.JaccardWithoutCounts;

    internal static readonly string[] Bodies = Directory.EnumerateFiles(Path.Combine(Repo.Root, "tests", "Aggregator.Tests", "TestData", "golden", "samples"))
        .Where(f => !f.Contains("philippines-us-bases", StringComparison.Ordinal)) // that page is itself a wire copy
        .Order().Select(f => File.ReadAllText(f).Split("\n\n", 2)[1].Trim()).ToArray();

    /// <summary>The body of the demo's Rhine story (a real-length wire story).</summary>
    internal static string RhineText => File.ReadAllText(Path.Combine(Repo.Root, "tests", "Aggregator.Tests", "TestData", "golden", "samples", "northpost_2026_world_rhine-low-water.txt")).Split("\n\n", 2)[1].Trim();

    internal const string RhineOther = """
        The Rhine's shipping lane near Kaub is set to be dredged next year, the federal waterways agency said on Friday, in a project meant to keep barges moving during dry summers.

        Engineers plan to deepen the channel by twenty centimetres over a stretch of several kilometres, a bottleneck that limits how much cargo vessels can carry when the water level drops.

        The project has been discussed for more than a decade and was delayed by environmental reviews, as the river valley is a protected landscape with rare fish and birds.

        Shipping companies welcomed the decision but said the work would come too late for this season, when low water has already pushed up freight costs for coal, grain and chemicals.

        Environmental groups said they would study the plans closely and warned that deeper channels could change the flow of the river and harm spawning grounds downstream.

        The agency said construction would take about three years and cost several hundred million euros, shared between the federal government and the states along the river.
        """;

    public static string Edit(string text, int every)
    {
        var words = text.Split(' ');
        for (var i = every / 2; i < words.Length; i += every) words[i] = words[i].Length > 3 ? words[i].ToUpperInvariant() + "x" : "the";
        return string.Join(' ', words);
    }

    internal static string Truncate(string text, double share)
    {
        var paragraphs = text.Split("\n\n");
        return string.Join("\n\n", paragraphs.Take(Math.Max(1, (int)Math.Ceiling(paragraphs.Length * share))));
    }

    private static string WithBoilerplate(string text) =>
        "For the latest headlines, follow our Google News channel online or via the app.\n\n" + text +
        "\n\nSign up for our newsletter to get the day's news in your inbox every morning, with analysis from our correspondents.\n\nCopyright 2026 The Outlet. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.";

    [Fact]
    public void CopiesReachTheThresholdAndDifferentStoriesDoNot()
    {
        Assert.True(Bodies.Length >= 7, $"only {Bodies.Length} sample bodies");
        var positives = new List<double>();
        foreach (var body in Bodies)
        {
            var original = MinHash.Signature(body);
            if (original is null) continue;
            foreach (var copy in new[] { Edit(body, 20), Edit(body, 12), Truncate(body, 0.7), WithBoilerplate(body), WithBoilerplate(Edit(body, 15)) })
                positives.Add(MinHash.Similarity(original, MinHash.Signature(copy)!));
        }
        var signatures = Bodies.Select(MinHash.Signature).OfType<uint[]>().Append(MinHash.Signature(RhineOther)!).ToList();
        var negatives = new List<double>();
        for (var i = 0; i < signatures.Count; i++)
            for (var j = i + 1; j < signatures.Count; j++)
                negatives.Add(MinHash.Similarity(signatures[i], signatures[j]));
        var rhine = MinHash.Similarity(MinHash.Signature(Bodies.Single(b => b.StartsWith("Cargo barges on the Rhine", StringComparison.Ordinal)))!, signatures[^1]);

        output.WriteLine($"{positives.Count} copies: min {positives.Min():0.00}, mean {positives.Average():0.00}; {negatives.Count} different pairs: max {negatives.Max():0.00}; same-topic Rhine pair {rhine:0.00}");
        Assert.All(positives, p => Assert.True(p >= Threshold, $"a copy scored {p:0.00}"));
        Assert.All(negatives, n => Assert.True(n < Threshold, $"different stories scored {n:0.00}"));
        Assert.True(rhine < 0.2, $"same-topic different story scored {rhine:0.00}");
    }

    /// <summary>Signatures are stored: the fast tokenizer must give exactly what the plain definition gives.</summary>
    [Fact]
    public void SignaturesEqualThePlainDefinition()
    {
        static uint[] Plain(string text)
        {
            var words = text.ToLowerInvariant().Split(Core.Extraction.TextTools.WordSeparators, StringSplitOptions.RemoveEmptyEntries);
            var permutations = typeof(MinHash).GetField("Permutations", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null) as (ulong A, ulong B)[];
            var signature = Enumerable.Repeat(uint.MaxValue, MinHash.Size).ToArray();
            for (var i = 0; i + 3 <= words.Length; i++)
            {
                var hash = 14695981039346656037UL;
                foreach (var word in words[i..(i + 3)])
                {
                    foreach (var c in word) hash = (hash ^ c) * 1099511628211UL;
                    hash = (hash ^ ' ') * 1099511628211UL;
                }
                for (var k = 0; k < MinHash.Size; k++) signature[k] = Math.Min(signature[k], (uint)((permutations![k].A * hash + permutations[k].B) >> 32));
            }
            return signature;
        }
        foreach (var body in Bodies.Append(RhineOther).Append("  Leading, separators — and “quotes”!  " + RhineOther + "\u00A0trailing"))
            Assert.Equal(Plain(body), MinHash.Signature(body));
        Assert.Null(MinHash.Signature("too short to compare"));
    }
}
