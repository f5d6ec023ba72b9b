using System.Diagnostics;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Aggregator.Core.Extraction;

namespace Aggregator.Benchmarks;

/// <summary>
/// Extraction speed on real pages (the Readability dev set), warm, single thread: ours against
/// SmartReader (a Readability port on AngleSharp) and AngleSharp's parse alone, same pages, same
/// run. Also writes both extractors' predictions for ../shared/conformance/extraction_score.py and,
/// when ../shared/fixtures/trafilatura exists, for segment_score.py on the human-labelled pages.
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
        Measure("AngleSharp parse only", pages, rounds, html => parser.ParseDocument(html).Dispose());
        Measure("SmartReader 0.11.1", pages, rounds, html => SmartRead(html, url));
        Measure("Aggregator ArticleExtractor", pages, rounds, html => ArticleExtractor.Extract(html, url));
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

    private static void Measure(string name, List<(string Id, string Html)> pages, int rounds, Action<string> run)
    {
        foreach (var (_, html) in pages) run(html); // warm-up
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
            foreach (var (_, html) in pages) run(html);
        clock.Stop();
        var count = pages.Count * rounds;
        Console.WriteLine($"{name,-30} {count / clock.Elapsed.TotalSeconds,8:N1} pages/s  {clock.Elapsed.TotalMilliseconds / count,6:N2} ms/page  {(GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)count / 1024 / 1024,6:N2} MiB allocated/page");
    }
}
