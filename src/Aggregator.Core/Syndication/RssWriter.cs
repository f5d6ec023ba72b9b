using System.Globalization;
using System.Text;
using System.Xml;

namespace Aggregator.Core.Syndication;

/// <summary>RSS 2.0 with the full clean text in content:encoded and an atom:link rel="self".</summary>
public static class RssWriter
{
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";

    public static byte[] Write(SyndicationChannel channel)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("rss");
            w.WriteAttributeString("version", "2.0");
            w.WriteAttributeString("xmlns", "content", null, ContentNs);
            w.WriteAttributeString("xmlns", "atom", null, AtomNs);
            w.WriteAttributeString("xmlns", "dc", null, DcNs);
            w.WriteStartElement("channel");
            w.WriteElementString("title", XmlSafe.Text(channel.Title));
            w.WriteElementString("link", channel.SiteUrl.ToString());
            w.WriteElementString("description", XmlSafe.Text($"{channel.Category} news merged from every outlet, one item per story, full text"));
            w.WriteStartElement("atom", "link", AtomNs);
            w.WriteAttributeString("href", channel.SelfUrl.ToString());
            w.WriteAttributeString("rel", "self");
            w.WriteAttributeString("type", "application/rss+xml");
            w.WriteEndElement();
            w.WriteElementString("lastBuildDate", Rfc822(Emitted.Time(channel.Updated, channel.Now)));
            w.WriteElementString("generator", "Aggregator");
            foreach (var story in channel.Stories) WriteItem(w, channel, story);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return stream.ToArray();
    }

    private static void WriteItem(XmlWriter w, SyndicationChannel channel, Storage.StoryRecord story)
    {
        w.WriteStartElement("item");
        w.WriteElementString("title", XmlSafe.Text(story.Title));
        w.WriteElementString("link", Emitted.Url(story.Url) ?? channel.StoryPage(story).ToString());
        w.WriteStartElement("guid");
        w.WriteAttributeString("isPermaLink", "false");
        w.WriteString($"aggregator:story:{story.Id}");
        w.WriteEndElement();
        w.WriteElementString("pubDate", Rfc822(Emitted.Time(story.Published, channel.Now)));
        if (story.Byline is not null) w.WriteElementString("dc", "creator", DcNs, XmlSafe.Text(story.Byline));
        w.WriteElementString("category", XmlSafe.Text(story.Category));
        w.WriteElementString("description", XmlSafe.Text(story.Summary ?? ""));
        w.WriteStartElement("content", "encoded", ContentNs);
        w.WriteCData(XmlSafe.Text(channel.ContentHtml(story))); // XmlWriter splits a "]]>" inside into two sections
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>RFC 822 with a four-digit year and a numeric zone, as the W3C validator wants.</summary>
    public static string Rfc822(DateTime utc) =>
        utc.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
