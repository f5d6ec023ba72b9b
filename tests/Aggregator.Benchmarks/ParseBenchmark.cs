using System.Diagnostics;
using System.Text;
using System.Xml;
using Aggregator.Core.Parsing;

namespace Aggregator.Benchmarks;

/// <summary>
/// Parsing throughput on real-shaped feeds (RSS 2.0 with HTML descriptions, Atom 1.0 with
/// xhtml/html content), three ways over the same bytes: a bare XmlReader pass, CodeHollow.FeedReader
/// alone, and our normalising parser. Prints items/s, MB/s and bytes allocated per item.
/// </summary>
internal static class ParseBenchmark
{
    public static void Run(int feeds, int itemsPerFeed)
    {
        var corpus = new Corpus(feeds, itemsPerFeed, 0);
        var documents = Enumerable.Range(0, feeds)
            .Select(f => Encoding.UTF8.GetBytes(f % 2 == 0 ? corpus.Feed(f, "https://outlet.example") : AtomOf(corpus.Feed(f, "https://outlet.example"))))
            .ToList();
        var items = feeds * itemsPerFeed;
        var megabytes = documents.Sum(d => d.Length) / 1024.0 / 1024.0;
        Console.WriteLine($"parsing {items:N0} items in {feeds} feeds ({megabytes:N1} MiB), best of 5 runs each:");
        var xml = Measure("XmlReader pass", documents, items, megabytes, d => { using var r = XmlReader.Create(new MemoryStream(d)); while (r.Read()) { } });
        var reader = Measure("FeedReader alone", documents, items, megabytes, d => CodeHollow.FeedReader.FeedReader.ReadFromByteArray(d));
        var ours = Measure("Aggregator FeedParser", documents, items, megabytes, d => FeedParser.Parse(d, "application/rss+xml", new Uri("https://outlet.example/feed")));
        Console.WriteLine($"ours / FeedReader alone: {ours / reader:P0} of its throughput (target ≥ 70%); XmlReader is {xml / ours:N1}× ours");
        Stages(documents, items, megabytes);
    }

    /// <summary>Where our time goes: decoding and repair, FeedReader on the repaired text, and our mapping of its elements.</summary>
    private static void Stages(List<byte[]> documents, int items, double megabytes)
    {
        Console.WriteLine("of which (each stage alone, on the previous stage's output):");
        var texts = documents.Select(d => XmlRepair.Repair(TextDecoder.Decode(d, "application/rss+xml").Text)).ToList();
        var read = texts.Select(t => CodeHollow.FeedReader.FeedReader.ReadFromString(t))
            .Select(f => (Root: f.SpecificFeed!.Element!.Document!.Root!, Items: (IReadOnlyList<System.Xml.Linq.XElement>)f.Items.Select(i => i.SpecificItem!.Element!).ToList())).ToList();
        var url = new Uri("https://outlet.example/feed");
        Measure("decode + repair", documents, items, megabytes, d => XmlRepair.Repair(TextDecoder.Decode(d, "application/rss+xml").Text));
        var byDocument = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < documents.Count; i++) byDocument[documents[i]] = i;
        Measure("FeedReader on text", documents, items, megabytes, d => CodeHollow.FeedReader.FeedReader.ReadFromString(texts[byDocument[d]]));
        Measure("our mapping", documents, items, megabytes, d => XmlFeedMapper.Map(read[byDocument[d]].Root, read[byDocument[d]].Items, "utf-8", url, false));
    }

    private static double Measure(string name, List<byte[]> documents, int items, double megabytes, Action<byte[]> parse)
    {
        foreach (var d in documents.Take(3)) parse(d); // warm up
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        for (var run = 0; run < 5; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            foreach (var d in documents) parse(d);
            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        var perSecond = items / best.TotalSeconds;
        Console.WriteLine($"  {name,-22} {perSecond,10:N0} items/s {megabytes / best.TotalSeconds,7:N1} MB/s {allocated / items,8:N0} bytes allocated/item");
        return perSecond;
    }

    /// <summary>The same items as Atom 1.0, so both formats are measured.</summary>
    private static string AtomOf(string rss)
    {
        var doc = new XmlDocument();
        doc.LoadXml(rss);
        var atom = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Outlet</title><id>urn:outlet</id><updated>2026-01-01T00:00:00Z</updated>");
        foreach (XmlNode item in doc.SelectNodes("//item")!)
        {
            var e = (string? n) => System.Security.SecurityElement.Escape(item[n!]?.InnerText ?? "");
            atom.Append("<entry><title>").Append(e("title")).Append("</title><id>").Append(e("guid")).Append("</id><link rel=\"alternate\" href=\"")
                .Append(e("link")).Append("\"/><updated>2026-01-01T00:00:00Z</updated><content type=\"html\">&lt;p&gt;").Append(e("description"))
                .Append("&lt;/p&gt;</content><author><name>Staff</name></author></entry>");
        }
        return atom.Append("</feed>").ToString();
    }
}
