using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Aggregator.Core.Storage;
using Aggregator.Core.Syndication;

namespace Aggregator.Tests.Syndication;

public class SyndicationWriterTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";

    private static SyndicationChannel Channel()
    {
        var published = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var story = new StoryRecord
        {
            Id = "00000000000000ab", Title = "Bad \u0001 char & <markup>", Url = "https://a.example/1", Category = "World",
            Summary = "Sum", Html = "<p>Body ]]> tricky</p>", Text = "Body", Published = published, Updated = published.AddHours(1),
            Sources = [new StorySource { FeedId = "a", Title = "Outlet A", Url = "https://a.example/1" }, new StorySource { FeedId = "b", Title = "Outlet B", Url = "https://b.example/9" }],
        };
        return new SyndicationChannel("World News", "World", new Uri("http://news.example/"), new Uri("http://news.example/feeds/world.rss"),
            published.AddHours(1), [story], new Dictionary<string, string>());
    }

    [Fact]
    public void RssIsWellFormedWithSelfLinkGuidsRfc822DatesAndFullText()
    {
        var xml = XDocument.Parse(Encoding.UTF8.GetString(RssWriter.Write(Channel())));
        var channel = xml.Root!.Element("channel")!;
        Assert.Equal("http://news.example/feeds/world.rss", channel.Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.Equal("Sun, 01 Mar 2026 13:00:00 +0000", channel.Element("lastBuildDate")!.Value);
        var item = channel.Element("item")!;
        Assert.Equal("Bad  char & <markup>", item.Element("title")!.Value);
        Assert.Equal("false", item.Element("guid")!.Attribute("isPermaLink")!.Value);
        Assert.True(DateTime.TryParseExact(item.Element("pubDate")!.Value, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        var content = item.Element(Content + "encoded")!.Value;
        Assert.Contains("<p>Body ]]> tricky</p>", content);
        Assert.Contains("Also reported by <a href=\"https://b.example/9\">Outlet B</a>", content);
    }

    [Fact]
    public void AtomHasRfc3339DatesHtmlContentAndStableIds()
    {
        var xml = XDocument.Parse(Encoding.UTF8.GetString(AtomWriter.Write(Channel())));
        Assert.Equal("2026-03-01T13:00:00Z", xml.Root!.Element(Atom + "updated")!.Value);
        var entry = xml.Root.Element(Atom + "entry")!;
        Assert.Equal("urn:aggregator:story:00000000000000ab", entry.Element(Atom + "id")!.Value);
        Assert.Equal("html", entry.Element(Atom + "content")!.Attribute("type")!.Value);
        Assert.Contains(entry.Elements(Atom + "link"), l => l.Attribute("rel")!.Value == "related" && l.Attribute("href")!.Value == "https://b.example/9");
    }

    [Fact]
    public void JsonFeedIsVersion11()
    {
        using var json = JsonDocument.Parse(JsonFeedWriter.Write(Channel()));
        Assert.Equal("https://jsonfeed.org/version/1.1", json.RootElement.GetProperty("version").GetString());
        var item = json.RootElement.GetProperty("items")[0];
        Assert.Equal("2026-03-01T12:00:00Z", item.GetProperty("date_published").GetString());
        Assert.Contains("Outlet B", item.GetProperty("content_html").GetString());
    }
}
