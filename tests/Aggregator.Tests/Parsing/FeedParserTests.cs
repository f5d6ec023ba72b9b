using System.Text;
using Aggregator.Cli;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Parsing;

public class FeedParserTests
{
    private static ParsedFeed Parse(string xml, string? contentType = null, string? url = "https://example.org/feed.xml") =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(xml), contentType, url is null ? null : new Uri(url));

    [Fact]
    public void SeedFeedMatchesGolden()
    {
        var bytes = File.ReadAllBytes(Repo.Seed("gulfwire-world.xml"));
        var feed = FeedParser.Parse(bytes, "application/rss+xml", new Uri("https://gulfwire.example/feeds/gulfwire-world.xml"));
        var pretty = System.Text.Json.Nodes.JsonNode.Parse(JsonLines.Line("gulfwire-world.xml", feed))!
            .ToJsonString(new System.Text.Json.JsonSerializerOptions(JsonLines.Options) { WriteIndented = true });
        Golden.Assert("seed-feed.parse.json", pretty + "\n");
    }

    [Fact]
    public void FeedBurnerOriginalLinksAreKeptBesideTheProxyLink()
    {
        var rss = Parse("""
            <rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel><title>t</title>
            <item><title>a</title><link>http://feedproxy.google.com/~r/site/~3/abc/</link>
            <feedburner:origLink>https://site.example/2026/story</feedburner:origLink></item></channel></rss>
            """);
        Assert.Equal("http://feedproxy.google.com/~r/site/~3/abc/", rss.Items[0].Link);
        Assert.Equal("https://site.example/2026/story", rss.Items[0].OriginalLink);
        var atom = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><title>t</title>
            <entry><id>1</id><title>a</title><link href="http://feedproxy.google.com/~r/site/~3/def/"/>
            <feedburner:origLink>/2026/other</feedburner:origLink></entry></feed>
            """, url: "https://site.example/feed.atom");
        Assert.Equal("https://site.example/2026/other", atom.Items[0].OriginalLink);
    }

    [Fact]
    public void UndeclaredHtmlEntitiesAndStrayAmpersandsStillParse()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>Caf&eacute; &amp; Bar&nbsp;News & Views</title>" +
                         "<item><title>Fish &mdash; chips &copy; 2024</title><link>https://example.org/a?x=1&y=2</link></item></channel></rss>");
        Assert.Equal("Café & Bar\u00A0News & Views", feed.Title);
        Assert.Equal("Fish — chips © 2024", feed.Items[0].Title);
        Assert.Equal("https://example.org/a?x=1&y=2", feed.Items[0].Link);
    }

    [Fact]
    public void ControlCharactersAreDropped()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>Bad\u0001\u0008 chars\u000B</title><item><title>x</title></item></channel></rss>");
        Assert.Equal("Bad chars", feed.Title);
    }

    [Fact]
    public void EntityExpansionBombIsNotExpanded()
    {
        var bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">");
        for (var i = 1; i < 10; i++) bomb.Append($"<!ENTITY {(char)('a' + i)} \"&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};&{(char)('a' + i - 1)};\">");
        bomb.Append("<!ENTITY ext SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><title>&j;&ext;&a;</title></channel></rss>");
        var feed = Parse(bomb.ToString());
        Assert.True(feed.Title!.Length < 100, $"title was {feed.Title.Length} characters");
        Assert.DoesNotContain("root:", feed.Title);
        Assert.EndsWith("aaaaaaaaaa", feed.Title);
    }

    [Fact]
    public void Windows1252BytesWithoutDeclarationAreDecoded()
    {
        var bytes = Encoding.ASCII.GetBytes("<rss version=\"2.0\"><channel><title>X</title><item><title>Q</title></item></channel></rss>").ToList();
        var title = "<rss version=\"2.0\"><channel><title>"u8.ToArray().Concat(new byte[] { 0x93, 0x48, 0x69, 0x94, 0x20, 0xE9 })
            .Concat("</title></channel></rss>"u8.ToArray()).ToArray();
        var feed = FeedParser.Parse(title, "text/xml; charset=iso-8859-1", null);
        Assert.Equal("“Hi” é", feed.Title);
        Assert.Equal("iso-8859-1", feed.Encoding); // the label; decoded as windows-1252, as browsers do
        Assert.NotEmpty(bytes);
    }

    [Fact]
    public void Utf16WithBomIsDecoded()
    {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Ünïcödé</title></channel></rss>";
        var feed = FeedParser.Parse(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml)).ToArray(), null, null);
        Assert.Equal("Ünïcödé", feed.Title);
        Assert.Equal("utf-16le", feed.Encoding);
    }

    [Fact]
    public void AtomTextConstructsKeepTheirTypes()
    {
        var feed = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/"><title type="text">T &amp; U</title>
            <entry><id>urn:1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; move</title>
            <link rel="alternate" href="posts/1"/><link rel="enclosure" href="/a.mp3" type="audio/mpeg" length="1234"/>
            <summary type="text">Plain &lt;not markup&gt;</summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <a href="x">there</a></p></div></content>
            <published>2024-02-29T10:00:00+01:00</published><author><name>Ann</name><email>ann@example.org</email></author>
            <category term="World"/></entry></feed>
            """);
        Assert.Equal("atom10", feed.Version);
        Assert.Equal("T & U", feed.Title);
        var entry = Assert.Single(feed.Items);
        Assert.Equal("<b>Bold</b> move", entry.Title);
        Assert.Equal("Plain <not markup>", entry.Summary);
        Assert.Equal("<p>Hello <a href=\"https://example.org/blog/x\">there</a></p>", entry.Content);
        Assert.Equal("https://example.org/blog/posts/1", entry.Link);
        Assert.Equal(new Enclosure("https://example.org/a.mp3", "audio/mpeg", 1234), Assert.Single(entry.Enclosures));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 9, 0, 0, TimeSpan.Zero), entry.Published);
        Assert.Equal(new Person("Ann", "ann@example.org", null), Assert.Single(entry.Authors));
        Assert.Equal(["World"], entry.Categories);
    }

    [Fact]
    public void RssRelativeLinksResolveAgainstTheDocumentUrl()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>x</title><item><title>a</title><link>/news/a.html</link>" +
                         "<guid>a-1</guid><enclosure url=\"img/a.jpg\" type=\"image/jpeg\" length=\"10\"/></item></channel></rss>",
                         url: "https://example.org/feeds/world.xml");
        var item = Assert.Single(feed.Items);
        Assert.Equal("https://example.org/news/a.html", item.Link);
        Assert.Equal("https://example.org/feeds/img/a.jpg", item.Enclosures[0].Url);
    }

    [Fact]
    public void RssContentEncodedAndDublinCoreAreRead()
    {
        var feed = Parse("""
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>x</title><item><title>a</title><link>https://example.org/a</link>
            <description>Short</description><content:encoded><![CDATA[<p>Long <em>body</em></p>]]></content:encoded>
            <dc:creator>Jo Smith</dc:creator><dc:date>2023-03-22T08:00:00Z</dc:date></item></channel></rss>
            """);
        var item = Assert.Single(feed.Items);
        Assert.Equal("Short", item.Summary);
        Assert.Equal("<p>Long <em>body</em></p>", item.Content);
        Assert.Equal("Jo Smith", item.Authors[0].Name);
        Assert.Equal(new DateTimeOffset(2023, 3, 22, 8, 0, 0, TimeSpan.Zero), item.Published);
    }

    [Fact]
    public void JsonFeedIsParsed()
    {
        var feed = Parse("""
            {"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://example.org/",
             "items":[{"id":"1","url":"https://example.org/1","title":"One","content_html":"<p>Hi</p>","date_published":"2024-01-02T03:04:05Z","tags":["World"]}]}
            """);
        Assert.Equal("json1", feed.Version);
        var item = Assert.Single(feed.Items);
        Assert.Equal("<p>Hi</p>", item.Content);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), item.Published);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Not a feed</body></html>", "text/html", "not a feed (text/html)")]
    [InlineData("<html><head></head></html>", null, "not a feed")]
    [InlineData("\u0001\u0002 garbage ][", null, "parse:")]
    [InlineData("<note><to>x</to></note>", "application/xml", "not a feed")]
    public void NonFeedsFailWithAClearMessage(string body, string? contentType, string message)
    {
        var e = Assert.Throws<FeedParseException>(() => Parse(body, contentType));
        Assert.Contains(message, e.Message);
    }
}
