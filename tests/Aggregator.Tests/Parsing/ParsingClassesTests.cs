using System.Text;
using Aggregator.Core.Parsing;

namespace Aggregator.Tests.Parsing;

/// <summary>The classes of issue 14 as focused checks (the golden cases in <see cref="ParsingGoldenTests"/> show each whole).</summary>
public class ParsingClassesTests
{
    private static ParsedFeed Parse(string xml, string? url = "http://example.org/feed", string? contentLanguage = null) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(xml), "application/rss+xml", url is null ? null : new Uri(url), contentLanguage);

    [Theory]
    [InlineData("itunes:author", "<itunes:author>Jo</itunes:author>")]
    [InlineData("atom:link", "<atom:link rel=\"self\" href=\"http://example.org/f\"/>")]
    [InlineData("content:encoded", "<content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded>")]
    [InlineData("unknown prefix", "<made:up made:attr=\"1\">x</made:up>")]
    public void UndeclaredPrefix_KeepsEveryItem(string _, string element)
    {
        var feed = Parse($"<rss version=\"2.0\"><channel><title>T</title><item><title>A</title>{element}</item><item><title>B</title></item></channel></rss>");
        Assert.Equal(["A", "B"], feed.Items.Select(i => i.Title));
    }

    [Fact]
    public void UndeclaredWellKnownPrefix_IsReadWithItsMeaning()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>T</title><item><title>A</title><itunes:author>Jo</itunes:author><content:encoded>&lt;p&gt;Full&lt;/p&gt;</content:encoded></item></channel></rss>");
        Assert.Equal("Jo", feed.Items[0].Authors.Single().Name);
        Assert.Equal("<p>Full</p>", feed.Items[0].Content);
    }

    [Fact]
    public void NamespaceRepair_LeavesDeclaredDocumentsAlone() =>
        Assert.Null(NamespaceRepair.DeclareMissingPrefixes("<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>x</dc:creator></rss>"));

    [Theory]
    [InlineData("t3_42tizy", "t3_42tizy")]
    [InlineData("12345", "12345")]
    [InlineData("abc", "abc")]
    [InlineData("/relative/link", "http://example.org/relative/link")]
    [InlineData("posts/7", "http://example.org/posts/7")]
    [InlineData("urn:uuid:1", "urn:uuid:1")]
    public void Ids_OpaqueKeptFollowableResolved(string id, string expected)
    {
        var atom = FeedParser.Parse(Encoding.UTF8.GetBytes($"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><entry><id>{id}</id><title>x</title></entry></feed>"), null, new Uri("http://example.org/feed"));
        Assert.Equal(expected, atom.Items[0].Id);
        var rss = Parse($"<rss version=\"2.0\"><channel><title>T</title><item><guid>{id}</guid></item></channel></rss>");
        Assert.Equal(expected, rss.Items[0].Id);
    }

    [Fact]
    public void OpaqueGuid_IsNotTakenForTheLink() =>
        Assert.Null(Parse("<rss version=\"2.0\"><channel><title>T</title><item><guid>t3_42tizy</guid></item></channel></rss>").Items[0].Link);

    [Fact]
    public void ContentLanguage_IsTheLanguageOnlyWhenTheFeedHasNone()
    {
        Assert.Equal("de", Parse("<rss version=\"2.0\"><channel><title>T</title></channel></rss>", contentLanguage: "de, en").Language);
        Assert.Equal("fr", Parse("<rss version=\"2.0\"><channel><title>T</title><language>fr</language></channel></rss>", contentLanguage: "de").Language);
    }

    [Fact]
    public void JsonFeedItemWithoutId_IsKeptWithAStableHashId()
    {
        const string json = """{"version":"1","title":"J","items":[{"content_text":"Hello"},{"url":"https://example.org/a","content_text":"A"}]}""";
        var first = FeedParser.Parse(Encoding.UTF8.GetBytes(json), "application/feed+json", null);
        var second = FeedParser.Parse(Encoding.UTF8.GetBytes(json), "application/feed+json", null);
        Assert.Equal(2, first.Items.Count);
        Assert.StartsWith("urn:aggregator:sha256:", first.Items[0].Id);
        Assert.Equal(first.Items[0].Id, second.Items[0].Id);
        Assert.Equal("https://example.org/a", first.Items[1].Id);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1")]
    [InlineData("1.1")]
    [InlineData("http://jsonfeed.org/version/1")]
    public void JsonFeedLooseVersion_IsAccepted(string version)
    {
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes($$"""{"version":"{{version}}","title":"J","items":[{"id":"1","content_text":"x"}]}"""), null, null);
        Assert.Equal("json1", feed.Version);
        Assert.Single(feed.Items);
    }

    [Theory]
    [InlineData("Wait\u00E2\u20AC\u00A6", "Wait\u2026")]
    [InlineData("\u00C3\u00A9t\u00C3\u00A9", "\u00E9t\u00E9")]
    [InlineData("caf\u00E9", "caf\u00E9")]
    [InlineData("\u00C2 alone", "\u00C2 alone")]
    [InlineData("plain", "plain")]
    public void DoubleEncodedUtf8_IsRepairedAndRealAccentsAreNot(string text, string expected) =>
        Assert.Equal(expected, MojibakeRepair.Fix(text));

    [Theory]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>T</title></channel></rdf:RDF>", "rss090")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9\"><channel><title>T</title></channel></rdf:RDF>", "rss090")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel><title>T</title></channel></rdf:RDF>", "rss10")]
    public void Version_Rss090IsNotRss10(string xml, string version) => Assert.Equal(version, Parse(xml).Version);

    [Fact]
    public void RepeatedAtomUpdated_TheLastOneCounts()
    {
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><updated>2010-12-01T10:14:55Z</updated><updated>2003-12-31T10:14:55Z</updated></entry></feed>"), null, null);
        Assert.Equal(new DateTimeOffset(2003, 12, 31, 10, 14, 55, TimeSpan.Zero), feed.Items[0].Updated);
    }

    [Fact]
    public void XmlRepair_CleanTextIsReturnedAsIs()
    {
        const string clean = "<rss><channel><title>A &amp; B &#39;q&#39; &#x2019;</title><description><![CDATA[x & y]]></description></channel></rss>";
        Assert.Same(clean, XmlRepair.Repair(clean));
    }

    [Theory]
    [InlineData("<t><![CDATA[a & b]]> &nbsp;</t>", "<t><![CDATA[a & b]]> &#160;</t>")]
    [InlineData("<t><![CDATA[x & y", "<t><![CDATA[x & y]]>")]
    [InlineData("<t><![CDATA[1]]><![CDATA[2 &c", "<t><![CDATA[1]]><![CDATA[2 &c]]>")]
    public void XmlRepair_CDataIsLeftAloneAndClosed(string xml, string repaired) => Assert.Equal(repaired, XmlRepair.Repair(xml));

    [Theory]
    [InlineData("&#X41;", "&#65;")]
    [InlineData("&nbsp;", "&#160;")]
    [InlineData("&#150;", "&#8211;")]
    [InlineData("AT&T", "AT&amp;T")]
    public void XmlRepair_FastPathStillRepairsReferences(string reference, string repaired) =>
        Assert.Equal($"<t>{repaired}</t>", XmlRepair.Repair($"<t>{reference}</t>"));

    [Theory]
    [InlineData("itunes", "<itunes:summary>S</itunes:summary>", "S")]
    [InlineData("media", "<media:description>M</media:description>", "M")]
    [InlineData("atom", "<atom:summary>A</atom:summary>", "A")]
    [InlineData("description wins", "<itunes:summary>S</itunes:summary><description>D</description>", "D")]
    public void Summary_FollowsThePrecedenceTable(string _, string elements, string expected)
    {
        var feed = Parse($"<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>T</title><item>{elements}</item></channel></rss>");
        Assert.Equal(expected, feed.Items[0].Summary);
    }
}
