using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Parsing;

/// <summary>One small file per repaired behaviour (charset rules, loose XML, naked markup, Atom 0.3 modes, CDF, namespace spellings…), each with a golden normalised feed.</summary>
public class ParsingGoldenTests
{
    private static string Folder => Repo.TestData("parsing");

    public static TheoryData<string, string?> Cases() => new()
    {
        { "rss-naked-markup-and-authors.xml", "text/xml; charset=utf-8" },
        { "atom03-modes.xml", null },
        { "truncated-and-entities.xml", "application/rss+xml" },
        { "cdf.xml", null },
        { "namespace-variants.xml", "text/xml" },
        { "no-channel.xml", "application/xml" },
        { "atom10-bom-typepad.xml", "application/atom+xml" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NormalisedFeedMatchesGolden(string file, string? contentType)
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Path.Combine(Folder, file)), contentType, new Uri("http://example.org/feeds/" + file));
        var pretty = JsonNode.Parse(JsonLines.Line(file, feed))!.ToJsonString(new JsonSerializerOptions(JsonLines.Options) { WriteIndented = true });
        Golden.Assert($"parsing/{file}.json", pretty + "\n");
    }
}
