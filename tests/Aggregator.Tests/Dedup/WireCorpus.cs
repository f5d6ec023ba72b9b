namespace Aggregator.Tests.Dedup;

/// <summary>
/// A seeded, labelled stream of synthetic story bodies for the near-duplicate stage: originals,
/// wire copies of an earlier original, and follow-ups (a new story that repeats background
/// paragraphs of an earlier one), which must stay apart. Shared by the dedup benchmark (linked
/// into it) and the calibration tests. <see cref="Profile.Classic"/> draws exactly the stream the
/// benchmark always drew (seed 7 gives the README figures); <see cref="Profile.Hard"/> is the
/// harder set of the reliability issue: copies cut to 40–70 % with a local paragraph or two added,
/// heavier rewording, paragraphs swapped, and follow-ups reusing up to four background paragraphs.
/// </summary>
internal static class WireCorpus
{
    public enum Profile { Classic, Hard }

    public enum Kind { New, Copy, Truncated, FollowUp }

    /// <summary>
    /// One body; <paramref name="Original"/> is the item it copies (its own index for new stories and
    /// follow-ups), <paramref name="Source"/> the item it draws on (the original of a copy, the earlier
    /// story of a follow-up; -1 for a new story).
    /// </summary>
    public sealed record Item(int Index, int Original, int Source, Kind Kind, string Text, int MinutesAgo);

    private static readonly string[] Words = BuildVocabulary();
    private static readonly string[] Boilerplate =
    [
        "For the latest headlines, follow our Google News channel online or via the app.",
        "This story was provided by a wire service and has not been edited by our newsroom, apart from the headline and minor style changes.",
        "Sign up for our morning newsletter to get the day's most important stories delivered to your inbox before breakfast.",
    ];

    public static IEnumerable<Item> Generate(Profile profile, int items, int seed, double duplicateShare, double followUpShare)
    {
        var rng = new Random(seed);
        var truth = new int[items];
        var bodies = new Dictionary<int, List<string>>();
        var warmUp = profile == Profile.Classic ? 100 : 40;
        for (var i = 0; i < items; i++)
        {
            var roll = rng.NextDouble();
            List<string> paragraphs;
            Kind kind;
            var original = i;
            var source = -1;
            if (i > warmUp && roll < duplicateShare)
            {
                original = source = PickOriginal(rng, i, truth);
                (paragraphs, var cut) = profile == Profile.Classic ? Copy(bodies[original], rng) : HardCopy(bodies[original], rng);
                kind = cut ? Kind.Truncated : Kind.Copy;
            }
            else if (i > warmUp && roll < duplicateShare + followUpShare)
            {
                source = PickOriginal(rng, i, truth);
                var earlier = bodies[source];
                paragraphs = NewStory(rng);
                if (profile == Profile.Classic) paragraphs.InsertRange(rng.Next(paragraphs.Count), earlier.Take(rng.Next(1, 3)));
                else paragraphs.InsertRange(rng.Next(1, paragraphs.Count + 1), Background(earlier, rng));
                kind = Kind.FollowUp;
            }
            else
            {
                paragraphs = NewStory(rng);
                kind = Kind.New;
            }
            truth[i] = original;
            if (original == i) bodies[i] = paragraphs;
            yield return new Item(i, original, source, kind, string.Join("\n\n", paragraphs), rng.Next(0, 6 * 24 * 60));
        }
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
    private static (List<string>, bool Cut) Copy(List<string> original, Random rng)
    {
        var copy = Reword(original, rng.Next(8, 21), rng);
        if (rng.NextDouble() < 0.3) copy = copy.Take(Math.Max(3, (int)(copy.Count * (0.6 + rng.NextDouble() * 0.3)))).ToList();
        var cut = copy.Count < original.Count;
        if (rng.NextDouble() < 0.3) copy.Add(Boilerplate[rng.Next(Boilerplate.Length)]);
        return (copy, cut);
    }

    /// <summary>
    /// A harder copy, one of three edits: 30 % are cut to their first 40-70 % of paragraphs (three
    /// at least), 40 % of those with one or two local paragraphs added on top; 30 % are reworded
    /// heavily (every 7-12 words one changed) but kept whole; the rest get the classic light
    /// rewording, 40 % of them with one or two local paragraphs. An outlet that trims a wire story to fit does not also
    /// rewrite it, and one that rewrites it does not trim it. Some copies have two paragraphs swapped.
    /// </summary>
    private static (List<string>, bool Cut) HardCopy(List<string> original, Random rng)
    {
        var edit = rng.NextDouble();
        var copy = Reword(original, edit is >= 0.3 and < 0.6 ? rng.Next(7, 13) : rng.Next(8, 21), rng);
        if (edit < 0.3) copy = copy.Take(Math.Max(3, (int)Math.Round(copy.Count * (0.4 + rng.NextDouble() * 0.3)))).ToList();
        var cut = copy.Count < original.Count;
        if ((edit < 0.3 && rng.NextDouble() < 0.4) || (edit >= 0.6 && rng.NextDouble() < 0.4))
            for (var k = rng.Next(1, 3); k > 0; k--) copy.Insert(rng.Next(copy.Count + 1), Sentence(rng, rng.Next(25, 50)));
        if (rng.NextDouble() < 0.4)
        {
            var (a, b) = (rng.Next(copy.Count), rng.Next(copy.Count));
            (copy[a], copy[b]) = (copy[b], copy[a]);
        }
        if (rng.NextDouble() < 0.3) copy.Add(Boilerplate[rng.Next(Boilerplate.Length)]);
        return (copy, cut);
    }

    /// <summary>
    /// One to four paragraphs of the earlier story, verbatim and in order, never its lead and never
    /// more than half of it: background is what a story carries besides its news.
    /// </summary>
    private static IEnumerable<string> Background(List<string> earlier, Random rng)
    {
        var count = Math.Min(rng.Next(1, 5), earlier.Count / 2);
        return Enumerable.Range(1, earlier.Count - 1).OrderBy(_ => rng.Next()).Take(count).Order().Select(p => earlier[p]).ToList();
    }

    private static List<string> Reword(List<string> original, int every, Random rng) =>
        original.Select(p => string.Join(' ', p.Split(' ').Select((w, k) => k % every == every - 1 ? Words[rng.Next(Words.Length)] : w))).ToList();

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
