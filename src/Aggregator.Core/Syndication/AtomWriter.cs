using System.Globalization;
using System.Text;
using System.Xml;

namespace Aggregator.Core.Syndication;

/// <summary>Atom 1.0: RFC 3339 dates, type="html" content, rel="self" link, stable tag-style ids.</summary>
public static class AtomWriter
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";

    public static byte[] Write(SyndicationChannel channel)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", AtomNs);
            w.WriteElementString("title", AtomNs, XmlSafe.Text(channel.Title));
            w.WriteElementString("id", AtomNs, channel.SelfUrl.ToString());
            w.WriteElementString("updated", AtomNs, Rfc3339(Emitted.Time(channel.Updated, channel.Now)));
            Link(w, channel.SelfUrl.ToString(), "self", "application/atom+xml");
            Link(w, channel.SiteUrl.ToString(), "alternate", "text/html");
            w.WriteStartElement("author", AtomNs);
            w.WriteElementString("name", AtomNs, XmlSafe.Text(channel.Title));
            w.WriteEndElement();
            w.WriteElementString("generator", AtomNs, "Aggregator");
            foreach (var story in channel.Stories) WriteEntry(w, channel, story);
            w.WriteEndElement();
        }
        return stream.ToArray();
    }

    private static void WriteEntry(XmlWriter w, SyndicationChannel channel, Storage.StoryRecord story)
    {
        w.WriteStartElement("entry", AtomNs);
        w.WriteElementString("title", AtomNs, XmlSafe.Text(story.Title));
        w.WriteElementString("id", AtomNs, $"urn:aggregator:story:{story.Id}");
        w.WriteElementString("published", AtomNs, Rfc3339(Emitted.Time(story.Published, channel.Now)));
        w.WriteElementString("updated", AtomNs, Rfc3339(Emitted.Time(story.Updated, channel.Now)));
        Link(w, Emitted.Url(story.Url) ?? channel.StoryPage(story).ToString(), "alternate", "text/html");
        foreach (var url in story.Sources.Skip(1).Select(s => Emitted.Url(s.Url)).OfType<string>()) Link(w, url, "related", "text/html");
        if (story.Byline is not null)
        {
            w.WriteStartElement("author", AtomNs);
            w.WriteElementString("name", AtomNs, XmlSafe.Text(story.Byline));
            w.WriteEndElement();
        }
        w.WriteStartElement("category", AtomNs);
        w.WriteAttributeString("term", XmlSafe.Text(story.Category));
        w.WriteEndElement();
        if (story.Summary is not null) w.WriteElementString("summary", AtomNs, XmlSafe.Text(story.Summary));
        w.WriteStartElement("content", AtomNs);
        w.WriteAttributeString("type", "html");
        w.WriteString(XmlSafe.Text(channel.ContentHtml(story)));
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Link(XmlWriter w, string href, string rel, string type)
    {
        w.WriteStartElement("link", AtomNs);
        w.WriteAttributeString("href", href);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteEndElement();
    }

    public static string Rfc3339(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
