using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>Microsoft's Channel Definition Format (CDF): upper-case elements and HREF/LASTMOD attributes.</summary>
internal static class CdfMapper
{
    public static bool IsCdf(XElement root) => root.Name.LocalName == "CHANNEL";

    public static IReadOnlyList<XElement> Items(XElement root) => Named(root, "ITEM").ToList();

    public static ParsedFeed Map(XElement channel, IReadOnlyList<XElement> items, string encoding, Uri? documentUrl)
    {
        var link = XmlNames.Resolve(Attr(channel, "HREF"), channel, documentUrl);
        return new ParsedFeed("cdf", encoding, Text(channel, "TITLE"), link, Text(channel, "ABSTRACT"), null, null, null, null,
            null, DateParser.Parse(Attr(channel, "LASTMOD")), [],
            link is null ? [] : [new FeedLink(link, "alternate", "text/html", null, null, null)],
            items.Select(i => Item(i, documentUrl)).ToList());
    }

    private static ParsedItem Item(XElement item, Uri? documentUrl)
    {
        var link = XmlNames.Resolve(Attr(item, "HREF"), item, documentUrl);
        return new ParsedItem(null, Text(item, "TITLE"), link, Text(item, "ABSTRACT"), null, null, null,
            DateParser.Parse(Attr(item, "LASTMOD")), [], [], [],
            link is null ? [] : [new FeedLink(link, "alternate", "text/html", null, null, null)]);
    }

    private static IEnumerable<XElement> Named(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static string? Text(XElement parent, string name) => XmlNames.Text(Named(parent, name).FirstOrDefault());

    private static string? Attr(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Trim();
}
