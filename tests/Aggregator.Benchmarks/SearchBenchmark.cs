using System.Diagnostics;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;

namespace Aggregator.Benchmarks;

/// <summary>
/// Search (<c>q</c>) at growing store sizes: queries per second with a word never asked before in
/// every query (no cache can help), page size 50 as the API's default, asking for the list fields as
/// <c>/api/stories</c> does (and once for full stories), against the scan it replaced (stories walked
/// newest first, each title and text tested) in the same run. Stories are news-like: a 20,000-word
/// vocabulary, 6–10 paragraphs of 25–50 words, so a word is in about 1.5% of them, a 320-character
/// summary, one source. Opening is timed twice: building the index from the stories, and from the
/// snapshot that the first open saved.
/// </summary>
internal static class SearchBenchmark
{
    private const int Limit = 50;
    private static readonly string[] Vocabulary = BuildVocabulary();

    public static async Task RunAsync(int[] sizes, TimeSpan duration, int threads, string? postgres)
    {
        Console.WriteLine($"search, {threads} threads, {duration.TotalSeconds:N0} s per kind, limit {Limit}, a new word in every query:");
        foreach (var size in sizes)
        {
            var dir = Directory.CreateTempSubdirectory("aggregator-search-");
            var path = Path.Combine(dir.FullName, "search.db");
            var seeding = Stopwatch.StartNew();
            using (var seed = StoryStore.Open(path, TimeProvider.System)) await SeedAsync(seed, size);
            Console.WriteLine($"  LiteDB, {size:N0} stories (seeded in {seeding.Elapsed.TotalSeconds:N0} s)");
            File.Delete(StoreData.SnapshotFile(path)); // the seeding store saved one at close: time the build from the stories first
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var opening = Stopwatch.StartNew();
            using (var store = StoryStore.Open(path, TimeProvider.System))
            {
                var built = opening.Elapsed;
                var heap = (GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / 1024.0 / 1024.0;
                Console.WriteLine($"    open, index built from the stories {built.TotalSeconds:N1} s; managed heap of the open store {heap:N0} MiB");
                await store.SaveSearchSnapshotAsync();
                Measure(store, duration, threads, withScan: true);
            }
            opening.Restart();
            using (var store = StoryStore.Open(path, TimeProvider.System))
            {
                Console.WriteLine($"    open, index read from its snapshot ({new FileInfo(StoreData.SnapshotFile(path)).Length / 1024.0 / 1024.0:N0} MiB) {opening.Elapsed.TotalSeconds:N1} s; " +
                    $"{store.QueryStories(new StoryQuery(Limit, Text: Vocabulary[7], ListFieldsOnly: true)).Items.Count} hits for a check word");
            }
            dir.Delete(recursive: true);
            if (postgres is null) continue;
            using var pg = PostgresStoryStore.Open(postgres, TimeProvider.System);
            seeding.Restart();
            await SeedAsync(pg, size);
            await pg.CheckpointAsync(); // ANALYZE: the planner knows the new rows
            Console.WriteLine($"  PostgreSQL, {size:N0} stories (seeded in {seeding.Elapsed.TotalSeconds:N0} s)");
            Measure(pg, duration, threads, withScan: false);
            await pg.DeleteStoriesAsync(pg.FindExpired(DateTime.MaxValue, 0, int.MaxValue), DateTime.UnixEpoch);
            await pg.PurgeTombstonesAsync(DateTime.MaxValue, int.MaxValue);
        }
    }

    private static void Measure(IStoryStore store, TimeSpan duration, int threads, bool withScan)
    {
        var words = Vocabulary.OrderBy(w => w.GetHashCode(StringComparison.Ordinal)).ToArray();
        var next = -1;
        string Word() => words[(int)((uint)Interlocked.Increment(ref next) % words.Length)];
        Report("one word", () => store.QueryStories(new StoryQuery(Limit, Text: Word(), ListFieldsOnly: true)));
        Report("two words (AND)", () => store.QueryStories(new StoryQuery(Limit, Text: $"{Word()} {Word()}", ListFieldsOnly: true)));
        Report("a 3-letter prefix", () => store.QueryStories(new StoryQuery(Limit, Text: Word() is var w && w.Length > 3 ? w[..3] : w, ListFieldsOnly: true)));
        Report("a 2-letter prefix", () => store.QueryStories(new StoryQuery(Limit, Text: Word()[..2], ListFieldsOnly: true)));
        Report("a 1-letter prefix", () => store.QueryStories(new StoryQuery(Limit, Text: Word()[..1], ListFieldsOnly: true)));
        Report("one word, full stories", () => store.QueryStories(new StoryQuery(Limit, Text: Word())));
        // Full stories on every thread: safe since the store's reads take its gate (StoreData.Gate, LiteDB #2817).
        if (withScan) Report("one word, the old scan", () => OldScan(store, Word()), TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds)));

        void Report(string kind, Func<StoryPage> query, TimeSpan? time = null, int? threadCount = null)
        {
            var (rate, perCpu, p99, hits) = Run(query, time ?? duration, threadCount ?? threads);
            Console.WriteLine($"    {kind,-34} {rate,9:N0} queries/s {perCpu,9:N0} per CPU-second   p99 {p99,7:N2} ms   {hits,5:N1} stories per page");
        }
    }

    /// <summary>
    /// Queries per second of wall time, and per second of this process's CPU time: the machine is
    /// shared, so the second says what a query costs whatever else runs (2 idle cores could give up to twice it).
    /// </summary>
    private static (double Rate, double PerCpu, double P99, double Hits) Run(Func<StoryPage> query, TimeSpan duration, int threads)
    {
        for (var i = 0; i < 20; i++) query(); // warm up
        var latencies = new List<double>[threads];
        var hits = new long[threads];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var mine = latencies[t] = [];
            while (Stopwatch.GetTimestamp() < stop)
            {
                var started = Stopwatch.GetTimestamp();
                hits[t] += query().Items.Count;
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        var wall = clock.Elapsed.TotalSeconds;
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return (all.Count / wall, all.Count / Math.Max(used, 1e-3), all[(int)(all.Count * 0.99)], (double)hits.Sum() / all.Count);
    }

    /// <summary>What <c>q</c> did before the index: walk the stories newest first, keep those whose title or text contains the word.</summary>
    private static StoryPage OldScan(IStoryStore store, string word)
    {
        var found = new List<StoryRecord>();
        string? cursor = null;
        do
        {
            var page = store.QueryStories(new StoryQuery(200, Before: cursor));
            found.AddRange(page.Items.Where(s => s.Title.Contains(word, StringComparison.OrdinalIgnoreCase) || (s.Text?.Contains(word, StringComparison.OrdinalIgnoreCase) ?? false)));
            cursor = page.NextCursor;
        } while (cursor is not null && found.Count <= Limit);
        return new StoryPage(found.Take(Limit).ToList(), null);
    }

    private static async Task SeedAsync(IStoryStore store, int count)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var pending = new List<Task>();
        for (var n = 0; n < count; n++)
        {
            var random = new Random(n);
            var id = StoryKeys.Hash($"story{n}")[..16];
            var published = start.AddMinutes(n);
            var text = string.Join("\n\n", Enumerable.Range(0, random.Next(6, 11)).Select(_ => Sentence(random, random.Next(25, 50)) + ", officials said."));
            var summary = text.Length <= 320 ? text : text[..text.LastIndexOf(' ', 320)] + "…";
            pending.Add(store.AddOrAttachAsync(new StoryRecord
            {
                Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = Sentence(random, random.Next(6, 11)), Category = "World",
                Url = $"https://x.org/{n}", Published = published, FirstSeen = published, Updated = published, Text = text, Summary = summary,
                Html = "<p>" + text.Replace("\n\n", "</p><p>", StringComparison.Ordinal) + "</p>",
                Sources = [new StorySource { FeedId = $"f{n % 50}", Title = $"Outlet {n % 50}", Url = $"https://x.org/{n}", Published = published, FirstSeen = published }],
            }, [new StoryKey(StoryKeys.Url, StoryKeys.Hash($"url{n}"))], published));
            if (pending.Count == 256)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
    }

    private static string Sentence(Random random, int words)
    {
        var sentence = string.Join(' ', Enumerable.Range(0, words).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
        return char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }

    /// <summary>The same kind of vocabulary as <see cref="Corpus"/>'s: English-like letter frequencies, 2–9 letters.</summary>
    private static string[] BuildVocabulary()
    {
        var rng = new Random(42);
        const string letters = "etaoinshrdlucmfwypvbgkqjxz";
        return Enumerable.Range(0, 20_000).Select(_ => new string(Enumerable.Range(0, rng.Next(2, 10))
            .Select(_ => letters[(int)Math.Min(25, rng.NextDouble() * rng.NextDouble() * 26)]).ToArray())).Distinct().ToArray();
    }
}
