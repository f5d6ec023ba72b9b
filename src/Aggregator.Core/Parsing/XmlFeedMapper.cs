using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>Maps RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from FeedReader's raw elements to <see cref="ParsedFeed"/>.</summary>
internal static partial class XmlFeedMapper
{
    public static ParsedFeed Map(XElement root, IReadOnlyList<XElement> itemElements, string encoding, Uri? documentUrl, bool netscape)
    {
        if (CdfMapper.IsCdf(root)) return CdfMapper.Map(root, itemElements, encoding, documentUrl);
        var version = VersionOf(root, netscape);
        var isAtom = version.StartsWith("atom", StringComparison.Ordinal);
        var channel = isAtom ? root : Rss(root, "channel") ?? root;
        var items = itemElements.Select(e => isAtom ? AtomMapper.Item(e, documentUrl) : RssItem(e, documentUrl)).ToList();
        return isAtom ? AtomMapper.Feed(channel, version, encoding, documentUrl, items) : RssFeed(channel, version, encoding, documentUrl, items);
    }

    public static bool IsFeedRoot(XElement root) => root.Name.LocalName is "rss" or "feed" or "RDF" or "channel" || CdfMapper.IsCdf(root);

    /// <summary>Entries of an Atom feed; items of an RSS channel (RSS 1.0 keeps them beside the channel).</summary>
    public static IReadOnlyList<XElement> ItemElements(XElement root)
    {
        if (root.Name.LocalName == "feed") return Children(root, "entry").ToList();
        if (CdfMapper.IsCdf(root)) return CdfMapper.Items(root);
        var channel = Rss(root, "channel") ?? root;
        return Children(channel, "item").Concat(channel == root ? [] : Children(root, "item")).ToList();
    }

    private static string VersionOf(XElement root, bool netscape)
    {
        var ns = root.Name.NamespaceName;
        if (root.Name.LocalName == "feed") return ns == Atom03 ? "atom03" : "atom10";
        if (root.Name.LocalName == "RDF") return ns == Rss090 || root.Elements().Any(e => e.Name.NamespaceName == Rss090) ? "rss090" : "rss10";
        return ((string?)root.Attribute("version"))?.Trim() switch
        {
            "0.91" => netscape ? "rss091n" : "rss091u",
            "0.92" => "rss092",
            "0.93" => "rss093",
            "0.94" => "rss094",
            { } v when v.StartsWith('2') => "rss20",
            _ => "rss",
        };
    }

    private static ParsedFeed RssFeed(XElement channel, string version, string encoding, Uri? documentUrl, List<ParsedItem> items)
    {
        var image = Rss(channel, "image") ?? Rss(channel.Parent ?? channel, "image");
        var links = Children(channel, "link", Atom10).Select(l => AtomMapper.Link(l, documentUrl)).OfType<FeedLink>().ToList();
        var link = Resolve(Text(Rss(channel, "link")), channel, documentUrl);
        if (link is not null) links.Insert(0, new FeedLink(link, "alternate", "text/html", null, null, null));
        var editor = Text(Rss(channel, "managingEditor")) ?? Text(Rss(channel, "author")) ?? Text(Child(channel, "creator", Dc))
            ?? Text(Child(channel, "author", Dc)) ?? Text(Child(channel, "publisher", Dc));
        return new ParsedFeed(
            version, encoding,
            TextOrMarkup(Rss(channel, "title")) ?? Text(Child(channel, "title", Dc)),
            link,
            Html(Rss(channel, "description") ?? Child(channel, "description", Dc), documentUrl),
            null,
            (Text(Rss(channel, "language")) ?? Text(Child(channel, "language", Dc)) ?? Attr(channel, "{http://www.w3.org/XML/1998/namespace}lang"))?.Replace('_', '-'),
            Text(Rss(channel, "copyright")) ?? Text(Child(channel, "rights", Dc)),
            ImageOf(channel, image, documentUrl),
            DateParser.Parse(Text(Rss(channel, "pubDate")) ?? Text(Child(channel, "date", Dc))),
            DateParser.Parse(Text(Rss(channel, "lastBuildDate")) ?? Text(Child(channel, "modified", DcTerms))),
            editor is null ? [] : [ParseRssPerson(editor)],
            links,
            items) { UpdateHint = UpdateHintOf(channel) };
    }

    /// <summary>RSS &lt;ttl&gt; (minutes) or the Syndication module's period divided by its frequency.</summary>
    private static TimeSpan? UpdateHintOf(XElement channel)
    {
        const string sy = "http://purl.org/rss/1.0/modules/syndication/";
        if (int.TryParse(Text(Rss(channel, "ttl")), out var ttl) && ttl > 0) return TimeSpan.FromMinutes(ttl);
        var period = Text(Child(channel, "updatePeriod", sy))?.ToLowerInvariant() switch
        {
            "hourly" => TimeSpan.FromHours(1),
            "daily" => TimeSpan.FromDays(1),
            "weekly" => TimeSpan.FromDays(7),
            "monthly" => TimeSpan.FromDays(30),
            "yearly" => TimeSpan.FromDays(365),
            _ => (TimeSpan?)null,
        };
        if (period is null) return null;
        return int.TryParse(Text(Child(channel, "updateFrequency", sy)), out var frequency) && frequency > 0 ? period / frequency : period;
    }

    private static ParsedItem RssItem(XElement item, Uri? documentUrl)
    {
        var guidElement = Rss(item, "guid");
        var guid = Text(guidElement);
        var permaLink = guid is not null && Attr(guidElement, "isPermaLink") is not "false";
        var link = Resolve(Text(Rss(item, "link")) ?? (permaLink ? guid : null) ?? Attr(item, "about"), item, documentUrl);
        var links = Children(item, "link", Atom10).Select(l => AtomMapper.Link(l, documentUrl)).OfType<FeedLink>().ToList();
        if (link is not null) links.Insert(0, new FeedLink(link, "alternate", "text/html", null, null, null));
        var authors = Children(item, "author", "").Concat(Children(item, "creator", Dc)).Concat(Children(item, "author", Dc))
            .Select(a => a.Value.Trim()).Where(a => a.Length > 0).Select(ParseRssPerson).ToList();
        var categories = Children(item, "tags", "").SelectMany(t => t.Value.Split(','))
            .Concat(Children(item, "category", "").Concat(Children(item, "subject", Dc)).Concat(Children(item, "category", Media)).Select(c => c.Value))
            .Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();
        return new ParsedItem(
            permaLink ? Resolve(guid, item, documentUrl) : guid,
            TextOrMarkup(Rss(item, "title")) ?? Text(Child(item, "title", Dc)),
            link,
            Html(Rss(item, "description") ?? Child(item, "description", Dc), documentUrl),
            Html(Child(item, "encoded", Content) ?? Child(item, "body", Xhtml) ?? Rss(item, "body") ?? Rss(item, "fullitem") ?? Rss(item, "summary"), documentUrl),
            Text(Child(item, "rights", Dc)),
            DateParser.Parse(Text(Rss(item, "pubDate")) ?? Text(Child(item, "date", Dc)) ?? Text(Child(item, "issued", DcTerms))),
            DateParser.Parse(Text(Child(item, "modified", DcTerms)) ?? Text(Child(item, "updated", Atom10))),
            authors, categories, RssEnclosures(item, documentUrl), links) { OriginalLink = OriginalLink(item, documentUrl) };
    }

    /// <summary><c>feedburner:origLink</c>, the address behind a FeedBurner proxy link (RSS and Atom).</summary>
    internal static string? OriginalLink(XElement item, Uri? documentUrl) => Resolve(Text(Child(item, "origLink", FeedBurner)), item, documentUrl);

    private static List<Enclosure> RssEnclosures(XElement item, Uri? documentUrl)
    {
        var plain = Children(item, "enclosure", "")
            .Select(e => (Url: Resolve(Attr(e, "url"), e, documentUrl), Type: Attr(e, "type"), Length: Long(Attr(e, "length"))));
        var media = item.Descendants().Where(e => e.Name.LocalName == "content" && e.Name.NamespaceName.StartsWith("http://search.yahoo.com/mrss", StringComparison.OrdinalIgnoreCase))
            .Select(e => (Url: Resolve(Attr(e, "url"), e, documentUrl), Type: Attr(e, "type"), Length: Long(Attr(e, "fileSize"))));
        return plain.Concat(media).Where(e => e.Url is not null).DistinctBy(e => e.Url)
            .Select(e => new Enclosure(e.Url!, e.Type, e.Length)).ToList();
    }

    /// <summary>The channel image: RSS &lt;image&gt;, else iTunes image (href, or url by mistake), else a link rel="image".</summary>
    private static string? ImageOf(XElement channel, XElement? image, Uri? documentUrl)
    {
        const string itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
        var candidates = new[]
        {
            image is null ? null : Resolve(Text(Rss(image, "url")) ?? Attr(image, "resource"), image, documentUrl),
            Children(channel, "image", itunes).Select(i => Resolve(Attr(i, "href") ?? Attr(i, "url"), i, documentUrl)).FirstOrDefault(h => h is not null),
            Children(channel, "link", Atom10, "").Where(l => Attr(l, "rel") == "image").Select(l => Resolve(Attr(l, "href"), l, documentUrl)).FirstOrDefault(),
        };
        return candidates.FirstOrDefault(c => c is not null);
    }

    /// <summary>RSS authors look like "jo@example.org (Jo Smith)", "Jo Smith &lt;jo@example.org&gt;" or a bare name.</summary>
    internal static Person ParseRssPerson(string text)
    {
        text = text.Trim();
        var m = EmailWithName().Match(text);
        if (m.Success) return new Person(m.Groups[2].Value.Trim(), m.Groups[1].Value, null);
        m = NameWithEmail().Match(text);
        if (m.Success) return new Person(m.Groups[1].Value.Trim(), m.Groups[2].Value, null);
        m = NameWithEmailInParens().Match(text);
        if (m.Success) return new Person(m.Groups[1].Value.Trim(), m.Groups[2].Value, null);
        return text.Contains('@') && !text.Contains(' ') ? new Person(null, text, null) : new Person(text, null, null);
    }

    [GeneratedRegex(@"^(\S+@\S+)\s*\((.+)\)$")]
    private static partial Regex EmailWithName();

    [GeneratedRegex(@"^(.+?)\s*<(\S+@\S+)>$")]
    private static partial Regex NameWithEmail();

    [GeneratedRegex(@"^(.+?)\s*\((\S+@[^\s)]+)\)$")]
    private static partial Regex NameWithEmailInParens();
}
