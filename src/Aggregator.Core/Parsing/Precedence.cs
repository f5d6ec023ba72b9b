namespace Aggregator.Core.Parsing;

/// <summary>How a source element's value is read.</summary>
internal enum Reading : byte
{
    /// <summary>Trimmed text content.</summary>
    Text,
    /// <summary>Text, or the inner markup when the element carries child elements ("naked" markup).</summary>
    Markup,
    /// <summary>HTML (RSS description): as <see cref="Markup"/>, with relative URIs resolved.</summary>
    Html,
    /// <summary>A text construct with a <c>type</c> attribute (Atom text, html, xhtml; Media RSS plain, html).</summary>
    Construct,
}

/// <summary>One element that can supply a field. <paramref name="Last"/>: a repeated element is overwritten (the last one counts).</summary>
internal readonly record struct Source(Ns Ns, string Local, Reading As = Reading.Text, bool Last = false)
{
    public Name Name { get; } = new(Ns, Local);
}

/// <summary>
/// The one precedence table of the RSS/Atom mapping, for channel (feed) and item (entry) scope: for each
/// field, the elements that can supply it, first present (and non-empty) wins. The format's own
/// element comes first, then Atom elements borrowed by RSS, then the extensions (Dublin Core, DC
/// terms, iTunes, Google Play, Media RSS). Media RSS elements are also looked for inside
/// <c>media:group</c> and <c>media:content</c>. Multi-valued fields (authors, categories, links,
/// enclosures) take every source in the order listed, without duplicates.
///
/// | field        | channel / feed                                                        | item / entry |
/// | ---          | ---                                                                   | --- |
/// | title        | rss:title dc:title atom:title itunes:title media:title                | same |
/// | description  | rss:description dc:description atom:subtitle atom:tagline itunes:subtitle itunes:summary media:description | (summary) rss:description dc:description atom:summary itunes:summary itunes:subtitle media:description |
/// | content      | —                                                                     | content:encoded xhtml:body rss:body rss:fullitem atom:content rss:summary |
/// | published    | rss:pubDate atom:published atom:issued atom:created dc:date dcterms:issued dcterms:created | same |
/// | updated      | rss:lastBuildDate atom:updated(last) atom:modified dcterms:modified   | same |
/// | rights       | rss:copyright dc:rights atom:rights atom:copyright dcterms:rights media:copyright | same |
/// | language     | rss:language dc:language xml:lang, then the HTTP Content-Language     | — |
/// | id           | atom:id                                                               | rss:guid atom:id dc:identifier rdf:about |
/// | authors      | rss:managingEditor rss:author dc:creator dc:author atom:author itunes:author googleplay:author (dc:publisher, itunes:owner if none) | rss:author dc:creator dc:author atom:author itunes:author googleplay:author |
/// | categories   | rss:category dc:subject atom:category media:category itunes:category (nested) itunes:keywords googleplay:category | same, plus rss:tags |
/// | image        | rss:image itunes:image (href, url) link rel="image" (RSS, Atom, iTunes) media:thumbnail googleplay:image atom:logo atom:icon | itunes:image media:thumbnail googleplay:image |
/// | links        | rss:link, atom:link                                                   | rss:link (or permalink guid), atom:link, psc:chapter (rel="chapter") |
/// </summary>
internal static class Precedence
{
    public static readonly Source[] Title =
        [new(Ns.Rss, "title", Reading.Markup), new(Ns.Dc, "title"), new(Ns.Atom, "title", Reading.Construct), new(Ns.Itunes, "title"), new(Ns.Media, "title", Reading.Construct)];

    public static readonly Source[] ChannelDescription =
        [new(Ns.Rss, "description", Reading.Html), new(Ns.Dc, "description", Reading.Html), new(Ns.Atom, "subtitle", Reading.Construct), new(Ns.Atom, "tagline", Reading.Construct),
         new(Ns.Itunes, "subtitle"), new(Ns.Itunes, "summary"), new(Ns.GooglePlay, "description"), new(Ns.Media, "description", Reading.Construct)];

    public static readonly Source[] ItemSummary =
        [new(Ns.Rss, "description", Reading.Html), new(Ns.Dc, "description", Reading.Html), new(Ns.Atom, "summary", Reading.Construct),
         new(Ns.Itunes, "summary"), new(Ns.Itunes, "subtitle"), new(Ns.GooglePlay, "description"), new(Ns.Media, "description", Reading.Construct)];

    public static readonly Source[] ItemContent =
        [new(Ns.Content, "encoded", Reading.Html), new(Ns.Xhtml, "body", Reading.Html), new(Ns.Rss, "body", Reading.Html), new(Ns.Rss, "fullitem", Reading.Html),
         new(Ns.Atom, "content", Reading.Construct), new(Ns.Rss, "summary", Reading.Html)];

    public static readonly Source[] Published =
        [new(Ns.Rss, "pubDate"), new(Ns.Atom, "published", Last: true), new(Ns.Atom, "issued", Last: true), new(Ns.Atom, "created", Last: true),
         new(Ns.Dc, "date"), new(Ns.DcTerms, "issued"), new(Ns.DcTerms, "created"), new(Ns.DcTerms, "available")];

    public static readonly Source[] Updated =
        [new(Ns.Rss, "lastBuildDate"), new(Ns.Atom, "updated", Last: true), new(Ns.Atom, "modified", Last: true), new(Ns.DcTerms, "modified")];

    public static readonly Source[] Rights =
        [new(Ns.Rss, "copyright"), new(Ns.Dc, "rights"), new(Ns.Atom, "rights", Reading.Construct), new(Ns.Atom, "copyright", Reading.Construct),
         new(Ns.DcTerms, "rights"), new(Ns.Media, "copyright")];

    public static readonly Source[] Language = [new(Ns.Rss, "language"), new(Ns.Dc, "language")];

    public static readonly Source[] ItemId = [new(Ns.Rss, "guid"), new(Ns.Atom, "id"), new(Ns.Dc, "identifier")];

    public static readonly Source[] ChannelAuthors =
        [new(Ns.Rss, "managingEditor"), new(Ns.Rss, "author"), new(Ns.Dc, "creator"), new(Ns.Dc, "author"), new(Ns.Atom, "author"),
         new(Ns.Itunes, "author"), new(Ns.GooglePlay, "author")];

    public static readonly Source[] ChannelPublishers = [new(Ns.Dc, "publisher"), new(Ns.Itunes, "owner")];

    public static readonly Source[] ItemAuthors =
        [new(Ns.Rss, "author"), new(Ns.Dc, "creator"), new(Ns.Dc, "author"), new(Ns.Atom, "author"), new(Ns.Itunes, "author"), new(Ns.GooglePlay, "author")];

    public static readonly Source[] Categories =
        [new(Ns.Rss, "category"), new(Ns.Dc, "subject"), new(Ns.Atom, "category"), new(Ns.Media, "category"), new(Ns.Itunes, "category"),
         new(Ns.Itunes, "keywords"), new(Ns.GooglePlay, "category")];

    public static readonly Source[] ItemImage = [new(Ns.Itunes, "image"), new(Ns.Media, "thumbnail"), new(Ns.GooglePlay, "image")];
}
