using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>Namespaces and small readers over the raw XML that FeedReader keeps (lookups go through <see cref="ChildIndex"/>).</summary>
internal static partial class XmlNames
{
    public const string Atom10 = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public const string Dc = "http://purl.org/dc/elements/1.1/";
    public const string DcTerms = "http://purl.org/dc/terms/";
    public const string Content = "http://purl.org/rss/1.0/modules/content/";
    public const string Media = "http://search.yahoo.com/mrss/";
    public const string Xhtml = "http://www.w3.org/1999/xhtml";
    public const string FeedBurner = "http://rssnamespace.org/feedburner/ext/1.0";
    public static readonly XNamespace Xml = XNamespace.Xml;

    internal static bool SameNamespace(string expected, string actual) =>
        expected.Length == actual.Length ? string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase)
        : string.Equals(expected.TrimEnd('/'), actual.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public static string? Text(XElement? element) =>
        element is null ? null : element.Value.Trim() is { Length: > 0 } v ? v : null;

    /// <summary>Text content, or the inner markup when the element carries child elements ("naked" markup).</summary>
    public static string? TextOrMarkup(XElement? element) =>
        element is null ? null : element.HasElements ? Markup(element.Nodes()) : Text(element);

    /// <summary>Serialised nodes without the XHTML/Atom namespace declarations XLinq adds to each child.</summary>
    public static string? Markup(IEnumerable<XNode> nodes)
    {
        var markup = string.Concat(nodes.Select(n => n.ToString(SaveOptions.DisableFormatting)));
        if (ForeignMarkup.Mentions(markup)) markup = string.Concat(nodes.Select(ForeignMarkup.Serialise));
        return DefaultNamespaces().Replace(markup, "").Trim() is { Length: > 0 } m ? m : null;
    }

    /// <summary>An HTML field with its relative URIs resolved against the element's base.</summary>
    public static string? Html(XElement? element, Uri? documentUrl) =>
        element is null ? null
        : TextOrMarkup(element) is { } html ? HtmlUris.Resolve(ForeignMarkup.DeclareXlink(HtmlUris.EscapeStrayLessThan(html)), BaseOf(element, documentUrl))
        : ""; // present but empty is not absent

    public static string? Attr(XElement? element, XName name) =>
        element?.Attribute(name)?.Value.Trim() is { Length: > 0 } v ? v : null;

    /// <summary>The attribute names read per item, made once (an XName from a string is a table lookup each time).</summary>
    internal static class Attributes
    {
        public static readonly XName Href = "href", Url = "url", Type = "type", Rel = "rel", Title = "title", Length = "length",
            HrefLang = "hreflang", Mode = "mode", Text = "text", Term = "term", Label = "label", IsPermaLink = "isPermaLink",
            Lang = XNamespace.Xml + "lang";
    }

    /// <summary>The base URI in force at an element: nested xml:base resolved outward-in, then the document URL.</summary>
    public static Uri? BaseOf(XElement element, Uri? documentUrl)
    {
        List<string>? bases = null;
        for (var e = element; e is not null; e = e.Parent)
            if (e.Attribute(XmlBase)?.Value is { } b) (bases ??= []).Add(b);
        if (bases is null) return documentUrl; // the common case: no xml:base anywhere above
        var current = documentUrl;
        for (var i = bases.Count - 1; i >= 0; i--)
            current = current is null ? (Uri.TryCreate(bases[i], UriKind.Absolute, out var abs) ? abs : null)
                : Uri.TryCreate(current, bases[i], out var rel) ? rel : current;
        return current;
    }

    private static readonly XName XmlBase = XNamespace.Xml + "base";

    /// <summary>Resolves a link against its element's base; returns it unchanged when no base applies.</summary>
    public static string? Resolve(string? href, XElement context, Uri? documentUrl)
    {
        if (string.IsNullOrWhiteSpace(href)) return null;
        href = href.Trim();
        // Absolute links are kept as written: ids are compared as strings (RFC 4287 §4.2.6.1).
        if (LooksAbsoluteHttp(href) || Uri.TryCreate(href, UriKind.Absolute, out var absolute) && !absolute.IsFile) return href;
        var baseUri = BaseOf(context, documentUrl);
        return baseUri is not null && Uri.TryCreate(baseUri, href, out var resolved) ? resolved.ToString() : href;
    }

    /// <summary>The common case without building a Uri: "http://host…" or "https://host…" with no spaces.</summary>
    private static bool LooksAbsoluteHttp(string href)
    {
        var after = href.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7 : 0;
        return after > 0 && href.Length > after && char.IsAsciiLetterOrDigit(href[after]) && href.AsSpan().IndexOfAny(NotInALink) < 0;
    }

    private static readonly System.Buffers.SearchValues<char> NotInALink = System.Buffers.SearchValues.Create(" \t\\<>\"");

    /// <summary>
    /// An identifier: kept as written (ids are identity keys, compared as strings, RFC 4287 §4.2.6.1)
    /// unless it is a relative reference a reader would follow ("/2024/05/post", "./a", "?p=12"),
    /// which is resolved like a link. Opaque tokens ("t3_42tizy", "12345") stay as they are.
    /// </summary>
    public static string? Id(string? id, XElement context, Uri? documentUrl)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        id = id.Trim();
        return IsFollowableReference(id) ? Resolve(id, context, documentUrl) : id;
    }

    /// <summary>A relative reference with a path a reader would follow: it starts with '/', "./", "../" or '?', or has a '/' before any ':'.</summary>
    public static bool IsFollowableReference(string reference)
    {
        if (reference.Length == 0 || reference.Contains(' ')) return false;
        if (reference[0] is '/' or '?' || reference.StartsWith("./", StringComparison.Ordinal) || reference.StartsWith("../", StringComparison.Ordinal)) return true;
        var slash = reference.IndexOf('/');
        var colon = reference.IndexOf(':');
        return slash > 0 && (colon < 0 || colon > slash);
    }

    [System.Text.RegularExpressions.GeneratedRegex("""\s+xmlns="http://www\.w3\.org/1999/xhtml"|\s+xmlns="http://www\.w3\.org/2005/Atom"|\s+xmlns="http://purl\.org/atom/ns#"|\s+xmlns(:\w+)?="http://backend\.userland\.com/rss2"|\s+xmlns="http://purl\.org/rss/1\.0/"|\s+xmlns="http://my\.netscape\.com/rdf/simple/0\.9/" """)]
    private static partial System.Text.RegularExpressions.Regex DefaultNamespaces();

    public static long? Long(string? text) => long.TryParse(text, out var n) && n >= 0 ? n : null;
}
