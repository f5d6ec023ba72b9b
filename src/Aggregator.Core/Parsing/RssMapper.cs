using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>RSS 0.9x/1.0/2.0 channels and items, with the extensions of <see cref="Precedence"/> in both scopes.</summary>
internal static class RssMapper
{
    private static readonly XName RdfAbout = XName.Get("about", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
    private static readonly XName RdfResource = XName.Get("resource", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");

    // An item's made-up <tags> list comes before its categories (feedparser's order).
    private static readonly Source[] ItemCategories = [new(Ns.Rss, "tags"), .. Precedence.Categories];
    private static readonly Name RssLink = new(Ns.Rss, "link"), RssGuid = new(Ns.Rss, "guid"), AtomId = new(Ns.Atom, "id");

    public static ParsedFeed Feed(XElement channel, string version, string encoding, Uri? documentUrl, List<ParsedItem> items, string? contentLanguage)
    {
        var c = ChildIndex.Of(channel);
        var links = Fields.AtomLinks(c, documentUrl);
        var link = Resolve(Text(c.First(RssLink)), channel, documentUrl)
            ?? links.FirstOrDefault(l => l.Rel == "alternate")?.Href;
        if (link is not null && !links.Exists(l => l.Href == link && l.Rel == "alternate"))
            links.Insert(0, new FeedLink(link, "alternate", "text/html", null, null, null));
        var authors = Fields.People(c, Precedence.ChannelAuthors, documentUrl);
        if (authors.Count == 0) authors = Fields.People(c, Precedence.ChannelPublishers, documentUrl);
        return new ParsedFeed(
            version, encoding,
            Fields.String(c, Precedence.Title, documentUrl),
            link,
            Fields.String(c, Precedence.ChannelDescription, documentUrl),
            Text(c.First(AtomId)),
            (Fields.String(c, Precedence.Language, documentUrl) ?? Attr(channel, Attributes.Lang) ?? FirstLanguage(contentLanguage))?.Replace('_', '-'),
            Fields.String(c, Precedence.Rights, documentUrl),
            ImageOf(channel, c, documentUrl),
            Fields.Date(c, Precedence.Published),
            Fields.Date(c, Precedence.Updated),
            authors, links, items) { UpdateHint = UpdateHintOf(c), Categories = Fields.Categories(c, Precedence.Categories) };
    }

    /// <summary>RFC 9110 §8.5: Content-Language may list several; the first is the feed's.</summary>
    internal static string? FirstLanguage(string? header) =>
        header?.Split(',')[0].Trim() is { Length: > 0 } language ? language : null;

    public static ParsedItem Item(XElement item, Uri? documentUrl)
    {
        var c = ChildIndex.Of(item);
        var guidElement = c.First(RssGuid);
        var guid = Text(guidElement);
        var permaLink = guid is not null && Attr(guidElement, Attributes.IsPermaLink) is not "false" && IsLinkLike(guid);
        var about = item.Attribute(RdfAbout)?.Value.Trim() is { Length: > 0 } a ? a : null;
        var links = Fields.AtomLinks(c, documentUrl);
        var link = Resolve(Text(c.First(RssLink)) ?? (permaLink ? guid : null), item, documentUrl)
            ?? links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? Resolve(about, item, documentUrl);
        if (link is not null && !links.Exists(l => l.Href == link && l.Rel == "alternate"))
            links.Insert(0, new FeedLink(link, "alternate", "text/html", null, null, null));
        links.AddRange(Fields.Chapters(c, documentUrl));
        var categories = Fields.Categories(c, ItemCategories);
        return new ParsedItem(
            Id(Fields.String(c, Precedence.ItemId, documentUrl) ?? about, item, documentUrl),
            Fields.String(c, Precedence.Title, documentUrl),
            link,
            Fields.String(c, Precedence.ItemSummary, documentUrl),
            Fields.String(c, Precedence.ItemContent, documentUrl),
            Fields.String(c, Precedence.Rights, documentUrl),
            Fields.Date(c, Precedence.Published),
            Fields.Date(c, Precedence.Updated),
            Fields.People(c, Precedence.ItemAuthors, documentUrl), categories, Fields.Enclosures(item, c, links, documentUrl), links)
        {
            OriginalLink = Resolve(Text(c.First(AtomMapper.OrigLink)), item, documentUrl),
            Image = Fields.Image(c, Precedence.ItemImage, documentUrl),
        };
    }

    /// <summary>A guid is a permalink only if it could be one: "abc" or a bare number is an identity key, not an address.</summary>
    private static bool IsLinkLike(string guid) => Uri.TryCreate(guid, UriKind.Absolute, out _) || IsFollowableReference(guid);

    /// <summary>The channel image: RSS &lt;image&gt; (here or beside the channel in RSS 1.0), else the rest of the image row of <see cref="Precedence"/>.</summary>
    private static string? ImageOf(XElement channel, ChildIndex c, Uri? documentUrl)
    {
        var image = c.First(Ns.Rss, "image") ?? (channel.Parent is { } root ? ChildIndex.Of(root).First(Ns.Rss, "image") : null);
        if (image is not null && Resolve(Text(ChildIndex.Of(image).First(Ns.Rss, "url")) ?? image.Attribute(RdfResource)?.Value ?? Attr(image, "resource"), image, documentUrl) is { } url)
            return url;
        if (Fields.Image(c, [new(Ns.Itunes, "image")], documentUrl) is { } itunes) return itunes;
        var imageLink = c.All(Ns.Atom, "link").Concat(c.All(Ns.Rss, "link")).Concat(c.All(Ns.Itunes, "link"))
            .FirstOrDefault(l => Attr(l, "rel") == "image" && Attr(l, "href") is not null);
        if (imageLink is not null) return Resolve(Attr(imageLink, "href"), imageLink, documentUrl);
        return Fields.Image(c, [new(Ns.Media, "thumbnail"), new(Ns.GooglePlay, "image"), new(Ns.Atom, "logo"), new(Ns.Atom, "icon")], documentUrl);
    }

    /// <summary>RSS &lt;ttl&gt; (minutes) or the Syndication module's period divided by its frequency.</summary>
    private static TimeSpan? UpdateHintOf(ChildIndex c)
    {
        if (int.TryParse(Text(c.First(Ns.Rss, "ttl")), out var ttl) && ttl > 0) return TimeSpan.FromMinutes(ttl);
        var period = Text(c.First(Ns.Sy, "updatePeriod"))?.ToLowerInvariant() switch
        {
            "hourly" => TimeSpan.FromHours(1),
            "daily" => TimeSpan.FromDays(1),
            "weekly" => TimeSpan.FromDays(7),
            "monthly" => TimeSpan.FromDays(30),
            "yearly" => TimeSpan.FromDays(365),
            _ => (TimeSpan?)null,
        };
        if (period is null) return null;
        return int.TryParse(Text(c.First(Ns.Sy, "updateFrequency")), out var frequency) && frequency > 0 ? period / frequency : period;
    }
}
