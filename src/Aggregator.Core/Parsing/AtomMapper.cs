using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>Atom 1.0 and 0.3 feeds and entries, including text constructs (text, html, xhtml).</summary>
internal static partial class AtomMapper
{
    private static readonly string[] AtomNs = [Atom10, Atom03];

    public static ParsedFeed Feed(XElement feed, string version, string encoding, Uri? documentUrl, List<ParsedItem> items)
    {
        var links = Children(feed, "link", AtomNs).Select(l => Link(l, documentUrl)).OfType<FeedLink>().ToList();
        return new ParsedFeed(
            version, encoding,
            TextConstruct(Child(feed, "title", AtomNs)),
            links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault()?.Href,
            TextConstruct(Child(feed, "subtitle", AtomNs) ?? Child(feed, "tagline", AtomNs)),
            Resolve(Text(Child(feed, "id", AtomNs)), feed, documentUrl),
            Attr(feed, "{http://www.w3.org/XML/1998/namespace}lang") ?? (string?)feed.Attribute(Xml + "lang"),
            TextConstruct(Child(feed, "rights", AtomNs) ?? Child(feed, "copyright", AtomNs)),
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
            TextConstruct(Child(entry, "title", AtomNs)),
            links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault(l => l.Rel != "enclosure")?.Href,
            TextConstruct(Child(entry, "summary", AtomNs)),
            TextConstruct(Child(entry, "content", AtomNs)),
            TextConstruct(Child(entry, "rights", AtomNs)),
            DateParser.Parse(Text(Child(entry, "published", AtomNs) ?? Child(entry, "issued", AtomNs) ?? Child(entry, "created", AtomNs))),
            DateParser.Parse(Text(Child(entry, "updated", AtomNs) ?? Child(entry, "modified", AtomNs))),
            People(entry, documentUrl), categories, enclosures, links);
    }

    public static FeedLink? Link(XElement link, Uri? documentUrl)
    {
        var href = Resolve(Attr(link, "href"), link, documentUrl);
        return href is null ? null : new FeedLink(href, Attr(link, "rel") ?? "alternate", Attr(link, "type"),
            Attr(link, "title"), Long(Attr(link, "length")), Attr(link, "hreflang"));
    }

    private static List<Person> People(XElement parent, Uri? documentUrl) =>
        Children(parent, "author", AtomNs).Select(a => new Person(
            Text(Child(a, "name", AtomNs)),
            Text(Child(a, "email", AtomNs)),
            Resolve(Text(Child(a, "uri", AtomNs) ?? Child(a, "url", AtomNs)), a, documentUrl))).ToList();

    /// <summary>RFC 4287 §3.1: text is plain, html is the (once unescaped) markup, xhtml is the div's inner markup.</summary>
    public static string? TextConstruct(XElement? element)
    {
        if (element is null) return null;
        var type = Attr(element, "type") ?? "text";
        if (type is "xhtml" or "application/xhtml+xml")
        {
            var container = element.Elements().FirstOrDefault(e => e.Name.LocalName == "div") ?? element;
            var markup = string.Concat(container.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
            return XhtmlNamespace().Replace(markup, "").Trim() is { Length: > 0 } m ? m : null;
        }
        return element.Value.Trim() is { Length: > 0 } v ? v : null;
    }

    [GeneratedRegex("""\s+xmlns(:\w+)?="http://www\.w3\.org/1999/xhtml"|\s+xmlns="http://www\.w3\.org/2005/Atom" """)]
    private static partial Regex XhtmlNamespace();
}
