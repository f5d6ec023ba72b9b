using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>Atom 1.0 and 0.3 feeds and entries, including text constructs (text, html, xhtml).</summary>
internal static class AtomMapper
{
    private static readonly string[] AtomNs = [Atom10, Atom03];

    public static ParsedFeed Feed(XElement feed, string version, string encoding, Uri? documentUrl, List<ParsedItem> items)
    {
        var links = Children(feed, "link", AtomNs).Select(l => Link(l, documentUrl)).OfType<FeedLink>().ToList();
        return new ParsedFeed(
            version, encoding,
            TextConstruct(Child(feed, "title", AtomNs), documentUrl),
            links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault()?.Href,
            TextConstruct(Child(feed, "subtitle", AtomNs) ?? Child(feed, "tagline", AtomNs), documentUrl),
            Resolve(Text(Child(feed, "id", AtomNs)), feed, documentUrl),
            Attr(feed, "{http://www.w3.org/XML/1998/namespace}lang")?.Replace('_', '-'),
            TextConstruct(Child(feed, "rights", AtomNs) ?? Child(feed, "copyright", AtomNs), documentUrl),
            Resolve(Text(Child(feed, "logo", AtomNs) ?? Child(feed, "icon", AtomNs)), feed, documentUrl),
            null,
            DateParser.Parse(Text(Child(feed, "updated", AtomNs) ?? Child(feed, "modified", AtomNs))),
            People(feed, documentUrl), links, items);
    }

    public static ParsedItem Item(XElement entry, Uri? documentUrl)
    {
        var links = Children(entry, "link", AtomNs).Select(l => Link(l, documentUrl)).OfType<FeedLink>().ToList();
        var enclosures = links.Where(l => l.Rel == "enclosure").Select(l => new Enclosure(l.Href, l.Type, l.Length)).ToList();
        var categories = Children(entry, "category", AtomNs)
            .Select(c => Attr(c, "term") ?? Attr(c, "label") ?? Text(c)).OfType<string>().Distinct().ToList();
        return new ParsedItem(
            Resolve(Text(Child(entry, "id", AtomNs)), entry, documentUrl),
            TextConstruct(Child(entry, "title", AtomNs), documentUrl),
            links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault(l => l.Rel != "enclosure")?.Href,
            TextConstruct(Child(entry, "summary", AtomNs), documentUrl),
            TextConstruct(Child(entry, "content", AtomNs), documentUrl),
            TextConstruct(Child(entry, "rights", AtomNs), documentUrl),
            DateParser.Parse(Text(Child(entry, "published", AtomNs) ?? Child(entry, "issued", AtomNs) ?? Child(entry, "created", AtomNs))),
            DateParser.Parse(Text(Child(entry, "updated", AtomNs) ?? Child(entry, "modified", AtomNs))),
            People(entry, documentUrl), categories, enclosures, links) { OriginalLink = XmlFeedMapper.OriginalLink(entry, documentUrl) };
    }

    /// <summary>A link; one without href points at its base (as feedparser does); rel="self" defaults to the Atom type.</summary>
    public static FeedLink? Link(XElement link, Uri? documentUrl)
    {
        var href = Resolve(Attr(link, "href"), link, documentUrl) ?? BaseOf(link, documentUrl)?.ToString();
        var rel = Attr(link, "rel") ?? "alternate";
        var type = Attr(link, "type") ?? (rel == "self" && link.Name.NamespaceName == Atom10 ? "application/atom+xml" : null);
        return href is null ? null : new FeedLink(href, rel, type, Attr(link, "title"), Long(Attr(link, "length")), Attr(link, "hreflang"));
    }

    private static List<Person> People(XElement parent, Uri? documentUrl) =>
        Children(parent, "author", AtomNs).Select(a => new Person(
            Text(Child(a, "name", AtomNs)),
            Text(Child(a, "email", AtomNs)),
            Resolve(Text(Child(a, "uri", AtomNs) ?? Child(a, "url", AtomNs)), a, documentUrl))).ToList();

    /// <summary>
    /// RFC 4287 §3.1: text is plain, html is the (once unescaped) markup, xhtml is the div's inner
    /// markup. Atom 0.3 adds mode="escaped|base64|xml" (inline XML keeps its div). Child elements in
    /// any type are markup ("naked" markup). HTML gets its relative URIs resolved.
    /// </summary>
    public static string? TextConstruct(XElement? element, Uri? documentUrl = null)
    {
        if (element is null) return null;
        var type = Attr(element, "type")?.ToLowerInvariant() ?? "text";
        var mode = Attr(element, "mode")?.ToLowerInvariant();
        string? value;
        var div = element.Elements().FirstOrDefault(e => e.Name.LocalName == "div");
        if (mode == "base64" || IsBinary(type))
            value = FromBase64(element.Value);
        else if (type == "html" && div is not null && !div.HasElements)
            value = div.Value.Trim(); // TypePad wraps escaped HTML in an XHTML div
        else if (element.HasElements)
        {
            var atom10Xhtml = element.Name.NamespaceName == Atom10 && type is "xhtml" or "application/xhtml+xml";
            value = Markup(atom10Xhtml && div is not null ? div.Nodes() : element.Nodes());
        }
        else
            value = element.Value.Trim() is { Length: > 0 } v ? v : null;
        var isHtml = type is "html" or "xhtml" or "text/html" or "application/xhtml+xml" || element.HasElements;
        return value is not null && isHtml ? HtmlUris.Resolve(value, BaseOf(element, documentUrl)) : value;
    }

    /// <summary>RFC 4287 §4.1.3.3: a MIME type that is neither XML nor text/* means Base64 content.</summary>
    private static bool IsBinary(string type) =>
        type.Contains('/') && !type.StartsWith("text/", StringComparison.Ordinal) && !type.EndsWith("xml", StringComparison.Ordinal);

    private static string? FromBase64(string text)
    {
        try { return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim())); }
        catch (FormatException) { return text; }
    }

}
