using System.Diagnostics;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Aggregator.Core.Extraction;

namespace Aggregator.Benchmarks;

/// <summary>
/// Extraction speed on real pages (the Readability dev set), warm, single thread: ours against
/// SmartReader (a Readability port on AngleSharp) and AngleSharp's parse alone, same pages, same
/// run, with the per-round rates and the machine's load average. Also writes both extractors'
/// predictions for ../shared/conformance/extraction_score.py and, when ../shared/fixtures/trafilatura
/// exists, for segment_score.py on the human-labelled pages.
/// </summary>
internal static class ExtractBenchmark
{
    public static void Run(string pagesDir, int rounds, string predictionsDir)
    {
        var pages = Directory.GetDirectories(pagesDir).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, "source.html")))
            .Select(d => (Id: Path.GetFileName(d), Html: File.ReadAllText(Path.Combine(d, "source.html")))).ToList();
        var url = new Uri("http://fakehost/test/page.html");
        Console.WriteLine($"{pages.Count} pages, {pages.Sum(p => p.Html.Length) / 1024.0 / 1024.0:N1} M characters; {rounds} timed rounds after a warm-up, single thread");
        Console.WriteLine($"load average at start: {LoadAverage()}");

        Directory.CreateDirectory(predictionsDir);
        using (var ours = new StreamWriter(Path.Combine(predictionsDir, "aggregator.jsonl")))
        using (var smart = new StreamWriter(Path.Combine(predictionsDir, "smartreader.jsonl")))
            foreach (var (id, html) in pages)
            {
                var a = ArticleExtractor.Extract(html, url);
                ours.WriteLine(JsonSerializer.Serialize(new { id, title = a.Title ?? "", text = a.Text }));
                var s = SmartRead(html, url);
                smart.WriteLine(JsonSerializer.Serialize(new { id, title = s.Title, text = s.Text }));
            }

        WriteTrafilaturaPredictions(Path.Combine(pagesDir, "..", "..", "trafilatura"), predictionsDir);

        var parser = new HtmlParser();
        Measure(pages, rounds,
        [
            ("AngleSharp parse only", html => parser.ParseDocument(html).Dispose()),
            ("SmartReader 0.11.1", html => SmartRead(html, url)),
            ("Aggregator ArticleExtractor", html => ArticleExtractor.Extract(html, url)),
        ]);
        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB (whole process, all three)");
        Console.WriteLine($"predictions: {predictionsDir}/aggregator.jsonl, {predictionsDir}/smartreader.jsonl");
    }

    /// <summary>
    /// Both extractors' output on the human-labelled trafilatura pages, as <c>extract --batch</c> prints
    /// it (file, title, text), for ../shared/conformance/segment_score.py. Not timed.
    /// </summary>
    private static void WriteTrafilaturaPredictions(string corpus, string predictionsDir)
    {
        var evaldata = Path.Combine(corpus, "evaldata.json");
        if (!File.Exists(evaldata)) return;
        using var json = JsonDocument.Parse(File.ReadAllText(evaldata));
        using var ours = new StreamWriter(Path.Combine(predictionsDir, "trafilatura-aggregator.jsonl"));
        using var smart = new StreamWriter(Path.Combine(predictionsDir, "trafilatura-smartreader.jsonl"));
        var count = 0;
        foreach (var page in json.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var file = Path.GetFullPath(Path.Combine(corpus, "html", page.Value.GetProperty("file").GetString()!));
            var url = Uri.TryCreate(page.Name, UriKind.Absolute, out var u) ? u : new Uri("http://fakehost/test/page.html");
            var bytes = File.ReadAllBytes(file);
            var a = ArticleExtractor.Extract(bytes, null, url);
            ours.WriteLine(JsonSerializer.Serialize(new { file, title = a.Title ?? "", text = a.Text, extractedBy = a.ExtractedBy }));
            var s = SmartRead(Aggregator.Core.Parsing.TextDecoder.Decode(bytes, null).Text, url);
            smart.WriteLine(JsonSerializer.Serialize(new { file, title = s.Title, text = s.Text }));
            count++;
        }
        Console.WriteLine($"trafilatura pages: {count}; predictions {predictionsDir}/trafilatura-aggregator.jsonl, trafilatura-smartreader.jsonl (segment_score.py --corpus {Path.GetFullPath(corpus)})");
    }

    private static (string Title, string Text) SmartRead(string html, Uri url)
    {
        try
        {
            var article = new SmartReader.Reader(url.ToString(), html).GetArticle();
            return (article.Title ?? "", article.TextContent ?? "");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ("", "");
        }
    }

    /// <summary>
    /// The contenders take turns, one round each, so a change in the shared machine's load falls on
    /// all of them alike; each line also gives the spread of its per-round rates.
    /// </summary>
    private static void Measure(List<(string Id, string Html)> pages, int rounds, (string Name, Action<string> Run)[] contenders)
    {
        foreach (var (_, run) in contenders)
            foreach (var (_, html) in pages) run(html); // warm-up
        var elapsed = new TimeSpan[contenders.Length];
        var allocated = new long[contenders.Length];
        var rates = contenders.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            for (var c = 0; c < contenders.Length; c++)
            {
                GC.Collect();
                var before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                foreach (var (_, html) in pages) contenders[c].Run(html);
                clock.Stop();
                elapsed[c] += clock.Elapsed;
                allocated[c] += GC.GetAllocatedBytesForCurrentThread() - before;
                rates[c].Add(pages.Count / clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"round {r + 1}: " + string.Join(", ", contenders.Select((x, c) => $"{x.Name} {rates[c][r]:N1}"))
                + $" pages/s; {contenders[^1].Name} / {contenders[^2].Name} {rates[^1][r] / rates[^2][r]:N2}×; load average {LoadAverage()}");
        }
        var count = pages.Count * rounds;
        for (var c = 0; c < contenders.Length; c++)
            Console.WriteLine($"{contenders[c].Name,-30} {count / elapsed[c].TotalSeconds,8:N1} pages/s ({rates[c].Min(),6:N1}–{rates[c].Max(),6:N1} per round)  {elapsed[c].TotalMilliseconds / count,6:N2} ms/page  {allocated[c] / (double)count / 1024 / 1024,6:N2} MiB allocated/page");
        var ratios = Enumerable.Range(0, rounds).Select(r => rates[^1][r] / rates[^2][r]).ToList();
        Console.WriteLine($"{contenders[^1].Name} / {contenders[^2].Name}: {elapsed[^2] / elapsed[^1]:N2}× overall, {ratios.Min():N2}–{ratios.Max():N2}× per round");
    }

    /// <summary>The machine's 1-, 5- and 15-minute load averages (Linux), to read a run's figures against.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
