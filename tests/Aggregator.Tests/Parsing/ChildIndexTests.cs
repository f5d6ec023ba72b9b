using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Aggregator.Core.Parsing;

namespace Aggregator.Tests.Parsing;

/// <summary>
/// The one-pass child index (names classified once, by id) and the allocation-free HTML URI
/// resolution: the fast paths must read exactly what the string comparisons read.
/// </summary>
public class ChildIndexTests
{
    private static ParsedFeed Parse(string xml) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(xml), "application/rss+xml", new Uri("http://example.org/feed"));

    private const string Declarations =
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"";

    [Fact]
    public void EveryPrecedenceSource_HasANameId()
    {
        var tables = typeof(Precedence).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(Source[])).ToList();
        Assert.NotEmpty(tables);
        var missing = tables.SelectMany(f => ((Source[])f.GetValue(null)!).Where(s => s.Name.Id == 0).Select(s => $"{f.Name}: {s.Ns}:{s.Local}")).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void NameOutsideTheTable_IsStillFoundByItsString()
    {
        var name = new Name(Ns.Rss, "madeUp");
        Assert.Equal(0, name.Id);
        var index = ChildIndex.Of(XElement.Parse("<item><title>T</title><MADEUP>x</MADEUP><madeUp>y</madeUp></item>"));
        Assert.Equal("x", index.First(name)?.Value); // RSS names ignore case, inside the table or not
        Assert.Equal("y", index.Last(name)?.Value);
        Assert.Equal(["x", "y"], index.All(name).Select(e => e.Value));
        Assert.Null(index.First(new Name(Ns.Atom, "madeUp")));
    }

    [Fact]
    public void RssCoreNames_MatchWhateverTheirCase()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><TITLE>Channel</TITLE><item><Title>A</Title><PUBDATE>Wed, 22 Mar 2023 08:00:00 GMT</PUBDATE><Link>http://example.org/a</Link></item></channel></rss>");
        Assert.Equal("Channel", feed.Title);
        Assert.Equal("A", feed.Items[0].Title);
        Assert.Equal(new DateTimeOffset(2023, 3, 22, 8, 0, 0, TimeSpan.Zero), feed.Items[0].Published);
        Assert.Equal("http://example.org/a", feed.Items[0].Link);
    }

    [Fact]
    public void NamespacedNames_AreExactAndKeptApartFromRss()
    {
        // dc:Title is not dc:title (only RSS core names ignore case): the item has no title.
        var feed = Parse($"<rss version=\"2.0\" {Declarations}><channel><title>T</title><item><dc:Title>No</dc:Title><guid>1</guid></item></channel></rss>");
        Assert.Null(feed.Items[0].Title);
    }

    [Fact]
    public void ItemsWithDifferentLayouts_AreEachReadByTheirOwnNames()
    {
        // The index remembers the names the previous item had at each position: every change of layout must miss.
        var feed = Parse($"<rss version=\"2.0\" {Declarations}><channel><title>T</title>"
            + "<item><title>A</title><link>http://example.org/a</link></item>"
            + "<item><dc:title>B</dc:title><link>http://example.org/b</link></item>"
            + "<item><link>http://example.org/c</link><title>C</title></item>"
            + "<item><atom:title>D</atom:title><atom:link href=\"http://example.org/d\"/></item>"
            + "<item><itunes:title>E</itunes:title><dc:creator>Jo</dc:creator><link>http://example.org/e</link></item>"
            + "<item><title>F</title><link>http://example.org/f</link></item>"
            + "</channel></rss>");
        Assert.Equal(["A", "B", "C", "D", "E", "F"], feed.Items.Select(i => i.Title));
        Assert.Equal(["a", "b", "c", "d", "e", "f"], feed.Items.Select(i => i.Link![^1..]));
        Assert.Equal("Jo", feed.Items[4].Authors.Single().Name);
    }

    [Fact]
    public void ManyInventedNames_DoNotStopTheLookup()
    {
        // More distinct names than the per-thread cache keeps: it is cleared and refilled, never wrong.
        var invented = string.Concat(Enumerable.Range(0, 700).Select(n => $"<x{n}>v</x{n}>"));
        var feed = Parse($"<rss version=\"2.0\"><channel><title>T</title><item>{invented}<title>A</title></item><item><title>B</title>{invented}</item></channel></rss>");
        Assert.Equal(["A", "B"], feed.Items.Select(i => i.Title));
    }

    [Fact]
    public void PersonUri_FallsBackToUrlWhenEmpty()
    {
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><entry><id>1</id><author><name>Jo</name><uri></uri><url>http://example.org/jo</url></author></entry></feed>"),
            null, new Uri("http://example.org/feed"));
        Assert.Equal(new Person("Jo", null, "http://example.org/jo"), feed.Items[0].Authors.Single());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)] // past the size where a set replaces the list scan
    public void Categories_AreTrimmedDistinctInFirstSeenOrder(int count)
    {
        var categories = string.Concat(Enumerable.Range(0, count).Select(n => $"<category> c{n % (count / 2 + 1)} </category><category> </category>"));
        var feed = Parse($"<rss version=\"2.0\"><channel><title>T</title><item><title>A</title>{categories}</item></channel></rss>");
        var expected = Enumerable.Range(0, count).Select(n => $"c{n % (count / 2 + 1)}").Distinct();
        Assert.Equal(expected, feed.Items[0].Categories);
    }

    [Fact]
    public void HtmlUris_UnchangedHtmlIsTheSameInstance()
    {
        const string html = "<p class=\"x\">a <a href=\"http://other.example/\">b</a> <a href=\"#top\">c</a> <img src=''></p>";
        Assert.Same(html, HtmlUris.Resolve(html, new Uri("http://example.org/dir/")));
    }

    [Fact]
    public void HtmlUris_OnlyRelativeAttributesAreRewritten()
    {
        const string html = "<p>x</p><a href=\"/x\">a</a> <img alt=1 src='y.png'> <a href=z>z</a> <a title=\"t\" HREF=\"http://o/\">o</a> <a href=\"q?a=1&amp;b=2\">q</a> text href=\"/not-a-tag\"";
        Assert.Equal(
            "<p>x</p><a href=\"http://example.org/x\">a</a> <img alt=1 src='http://example.org/dir/y.png'> <a href=\"http://example.org/dir/z\">z</a> <a title=\"t\" HREF=\"http://o/\">o</a> <a href=\"http://example.org/dir/q?a=1&amp;b=2\">q</a> text href=\"/not-a-tag\"",
            HtmlUris.Resolve(html, new Uri("http://example.org/dir/")));
    }
}
