using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>Atom 1.0 and 0.3 feeds and entries, including text constructs (text, html, xhtml).</summary>
internal static class AtomMapper
{
    public static ParsedFeed Feed(XElement feed, string version, string encoding, Uri? documentUrl, List<ParsedItem> items, string? contentLanguage = null)
    {
        var c = ChildIndex.Of(feed);
        var links = Fields.AtomLinks(c, documentUrl);
        var authors = Fields.People(c, Precedence.ChannelAuthors, documentUrl);
        return new ParsedFeed(
            version, encoding,
            Fields.String(c, Precedence.Title, documentUrl),
            links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault()?.Href,
            Fields.String(c, Precedence.ChannelDescription, documentUrl),
            Id(Text(c.First(AtomId)), feed, documentUrl),
            (Attr(feed, Attributes.Lang) ?? Fields.String(c, Precedence.Language, documentUrl) ?? RssMapper.FirstLanguage(contentLanguage))?.Replace('_', '-'),
            Fields.String(c, Precedence.Rights, documentUrl),
            Resolve(Text(c.First(AtomLogo) ?? c.First(AtomIcon)), feed, documentUrl)
                ?? Fields.Image(c, FeedImages, documentUrl),
            null,
            Fields.Date(c, Precedence.Updated) ?? Fields.Date(c, Precedence.Published),
            authors, links, items) { Categories = Fields.Categories(c, Precedence.Categories) };
    }

    public static ParsedItem Item(XElement entry, Uri? documentUrl)
    {
        var c = ChildIndex.Of(entry);
        var links = Fields.AtomLinks(c, documentUrl);
        var enclosures = Fields.Enclosures(entry, c, links, documentUrl);
        links.AddRange(Fields.Chapters(c, documentUrl));
        return new ParsedItem(
            Id(Text(c.First(AtomId)) ?? Fields.String(c, Precedence.ItemId, documentUrl), entry, documentUrl),
            Fields.String(c, Precedence.Title, documentUrl),
            links.FirstOrDefault(l => l.Rel == "alternate")?.Href ?? links.FirstOrDefault(l => l.Rel is not "enclosure" and not "chapter")?.Href,
            Fields.String(c, AtomSummary, documentUrl),
            Fields.String(c, AtomContent, documentUrl),
            Fields.String(c, Precedence.Rights, documentUrl),
            Fields.Date(c, Precedence.Published),
            Fields.Date(c, Precedence.Updated),
            Fields.People(c, Precedence.ItemAuthors, documentUrl), Fields.Categories(c, Precedence.Categories), enclosures, links)
        {
            OriginalLink = Resolve(Text(c.First(OrigLink)), entry, documentUrl),
            Image = Fields.Image(c, Precedence.ItemImage, documentUrl),
        };
    }

    // The item rows of Precedence with Atom's own element first.
    private static readonly Source[] AtomSummary = [new(Ns.Atom, "summary", Reading.Construct), .. Precedence.ItemSummary];
    private static readonly Source[] AtomContent = [new(Ns.Atom, "content", Reading.Construct), .. Precedence.ItemContent];
    private static readonly Source[] FeedImages = [new(Ns.Itunes, "image"), new(Ns.Media, "thumbnail"), new(Ns.GooglePlay, "image")];
    private static readonly Name AtomId = new(Ns.Atom, "id"), AtomLogo = new(Ns.Atom, "logo"), AtomIcon = new(Ns.Atom, "icon");
    internal static readonly Name OrigLink = new(Ns.FeedBurner, "origLink");

    /// <summary>
    /// A link. Atom 0.3 feeds sometimes put the address in the element's text instead of href; one with
    /// neither points at its base (as feedparser does); rel="self" defaults to the Atom type.
    /// </summary>
    public static FeedLink? Link(XElement link, Uri? documentUrl)
    {
        var href = Resolve(Attr(link, Attributes.Href) ?? (link.HasElements ? null : Text(link)), link, documentUrl) ?? BaseOf(link, documentUrl)?.ToString();
        var rel = Attr(link, Attributes.Rel) ?? "alternate";
        var type = Attr(link, Attributes.Type) ?? (rel == "self" && link.Name.NamespaceName == Atom10 ? "application/atom+xml" : null);
        return href is null ? null : new FeedLink(href, rel, type, Attr(link, Attributes.Title), Long(Attr(link, Attributes.Length)), Attr(link, Attributes.HrefLang));
    }

    /// <summary>
    /// RFC 4287 §3.1: text is plain, html is the (once unescaped) markup, xhtml is the div's inner
    /// markup. Atom 0.3 adds mode="escaped|base64|xml" (inline XML keeps its div). Child elements in
    /// any type are markup ("naked" markup). HTML gets its relative URIs resolved.
    /// </summary>
    public static string? TextConstruct(XElement? element, Uri? documentUrl = null)
    {
        if (element is null) return null;
        var type = Attr(element, Attributes.Type)?.ToLowerInvariant() ?? "text";
        var mode = Attr(element, Attributes.Mode)?.ToLowerInvariant();
        string? value;
        var div = element.HasElements ? element.Elements().FirstOrDefault(e => e.Name.LocalName == "div") : null;
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
        return value is not null && isHtml ? HtmlUris.Resolve(ForeignMarkup.DeclareXlink(HtmlUris.EscapeStrayLessThan(value)), BaseOf(element, documentUrl)) : value;
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
