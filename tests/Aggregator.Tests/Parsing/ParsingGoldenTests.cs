using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Parsing;

/// <summary>
/// One small file per repaired behaviour (charset rules, loose XML, naked markup, Atom 0.3 modes, CDF,
/// namespace spellings…), each with a golden normalised feed. Since issue 14 each class of feed
/// behaviour has its own case, named by the class it covers (the file's comment says the rule).
/// </summary>
public class ParsingGoldenTests
{
    private static string Folder => Repo.TestData("parsing");

    public static TheoryData<string, string?, string?> Cases() => new()
    {
        { "rss-naked-markup-and-authors.xml", "text/xml; charset=utf-8", null },
        { "atom03-modes.xml", null, null },
        { "truncated-and-entities.xml", "application/rss+xml", null },
        { "cdf.xml", null, null },
        { "namespace-variants.xml", "text/xml", null },
        { "no-channel.xml", "application/xml", null },
        { "atom10-bom-typepad.xml", "application/atom+xml", null },
        // Issue 14, one case per class:
        { "undeclared-prefixes.xml", "application/rss+xml", null },          // undeclared namespace prefixes
        { "atom-elements-in-rss.xml", "application/rss+xml", null },         // foreign Atom elements in RSS
        { "itunes-both-scopes.xml", "application/rss+xml", null },           // iTunes/Google Play, channel and item; core names in any case
        { "media-rss-fallbacks.xml", "application/rss+xml", null },          // Media RSS title/description/thumbnail fallbacks
        { "atom-media-group.xml", "application/atom+xml", null },           // Media RSS in Atom scope (YouTube's shape)
        { "dcterms-dates.xml", "application/rss+xml", null },                // DC terms dates at both levels
        { "rss10-rdf-about.xml", "application/rdf+xml", null },              // rdf:about as the RSS 1.0 item id
        { "psc-chapters-atom-extensions.xml", "application/atom+xml", null }, // psc chapters as links; extensions in Atom scope
        { "content-language.xml", "application/rss+xml", "pt-BR, en" },      // HTTP Content-Language as the feed language
        { "rss090-version.xml", "application/rdf+xml", null },               // RSS 0.90 version detection
        { "jsonfeed-loose.json", "application/feed+json", null },            // JSON Feed: loose version, items without id
        { "localised-dates.xml", "application/rss+xml", null },              // dates in other languages
        { "atom-opaque-ids.xml", "application/atom+xml", null },             // opaque ids kept, followable references resolved
        { "foreign-markup.xml", "application/atom+xml", null },              // SVG/MathML serialisation
        { "double-encoded-utf8.xml", "application/rss+xml", null },          // double-encoded UTF-8
        { "atom-namespace-variants.xml", "application/atom+xml", null },     // necho and other Atom namespaces; 0.3 link text
        { "rss-stray-less-than.xml", "application/rss+xml", null },          // stray '<' in HTML stays escaped
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NormalisedFeedMatchesGolden(string file, string? contentType, string? contentLanguage)
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Path.Combine(Folder, file)), contentType, new Uri("http://example.org/feeds/" + file), contentLanguage);
        var pretty = JsonNode.Parse(JsonLines.Line(file, feed))!.ToJsonString(new JsonSerializerOptions(JsonLines.Options) { WriteIndented = true });
        Golden.Assert($"parsing/{file}.json", pretty + "\n");
    }
}
