using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>The vocabularies the mappers read, whatever URI spelling a feed uses for them.</summary>
internal enum Ns : byte
{
    Other, Rss, Atom, Dc, DcTerms, Content, Media, Itunes, GooglePlay, Podcast, Xhtml, FeedBurner, Sy, Psc, Rdf,
}

/// <summary>
/// One pass over an element's children, each tagged with its vocabulary, so that the mappers'
/// many field lookups are cheap scans over a small array instead of repeated LINQ walks with
/// namespace string comparisons. RSS core names match case-insensitively (iTunes reads them so).
/// </summary>
internal sealed class ChildIndex
{
    private readonly XElement[] elements;
    private readonly Ns[] kinds;
    private readonly int present; // one bit per vocabulary seen: most lookups end here

    private ChildIndex(XElement[] elements, Ns[] kinds, int present)
    {
        this.elements = elements;
        this.kinds = kinds;
        this.present = present;
    }

    public static ChildIndex Of(XElement parent)
    {
        var count = 0;
        for (var node = parent.FirstNode; node is not null; node = node.NextNode)
            if (node is XElement) count++;
        var elements = new XElement[count];
        var kinds = new Ns[count];
        var present = 0;
        var i = 0;
        for (var node = parent.FirstNode; node is not null; node = node.NextNode)
        {
            if (node is not XElement element) continue;
            elements[i] = element;
            kinds[i] = Vocabulary.Of(element.Name.Namespace);
            present |= 1 << (int)kinds[i++];
        }
        return new ChildIndex(elements, kinds, present);
    }

    public bool Has(Ns ns) => (present & (1 << (int)ns)) != 0;

    public XElement? First(Ns ns, string local)
    {
        if (!Has(ns)) return null;
        for (var i = 0; i < elements.Length; i++)
            if (Matches(i, ns, local)) return elements[i];
        return null;
    }

    /// <summary>The last occurrence: a repeated single-valued element is overwritten, as feedparser reads it.</summary>
    public XElement? Last(Ns ns, string local)
    {
        if (!Has(ns)) return null;
        for (var i = elements.Length - 1; i >= 0; i--)
            if (Matches(i, ns, local)) return elements[i];
        return null;
    }

    public IEnumerable<XElement> All(Ns ns, string local) => Has(ns) ? AllPresent(ns, local) : [];

    private IEnumerable<XElement> AllPresent(Ns ns, string local)
    {
        for (var i = 0; i < elements.Length; i++)
            if (Matches(i, ns, local)) yield return elements[i];
    }

    private bool Matches(int i, Ns ns, string local) =>
        kinds[i] == ns && (ns == Ns.Rss
            ? string.Equals(elements[i].Name.LocalName, local, StringComparison.OrdinalIgnoreCase)
            : elements[i].Name.LocalName == local);
}

/// <summary>Namespace URI → vocabulary, tolerant of case, trailing slashes and the historical spellings.</summary>
internal static class Vocabulary
{
    private static readonly Dictionary<string, Ns> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = Ns.Rss, ["http://purl.org/rss/1.0"] = Ns.Rss, ["http://my.netscape.com/rdf/simple/0.9"] = Ns.Rss,
        ["http://channel.netscape.com/rdf/simple/0.9"] = Ns.Rss, ["http://backend.userland.com/rss2"] = Ns.Rss,
        ["http://backend.userland.com/rss"] = Ns.Rss, ["http://blogs.law.harvard.edu/tech/rss"] = Ns.Rss, ["http://purl.org/net/rss1.1#"] = Ns.Rss,
        [XmlNames.Atom10] = Ns.Atom, [XmlNames.Atom03] = Ns.Atom, ["http://purl.org/echo"] = Ns.Atom, ["http://purl.org/pie"] = Ns.Atom,
        ["http://example.com/newformat#"] = Ns.Atom, ["http://example.com/necho"] = Ns.Atom, ["http://purl.org/atom/ns#draft-ietf-atompub-format-07"] = Ns.Atom,
        ["http://purl.org/dc/elements/1.1"] = Ns.Dc, ["http://purl.org/dc/elements/1.0"] = Ns.Dc, ["http://purl.org/dc/terms"] = Ns.DcTerms,
        ["http://purl.org/rss/1.0/modules/content"] = Ns.Content, ["http://search.yahoo.com/mrss"] = Ns.Media,
        ["http://video.search.yahoo.com/mrss"] = Ns.Media, ["http://www.itunes.com/dtds/podcast-1.0.dtd"] = Ns.Itunes,
        ["http://example.com/dtds/podcast-1.0.dtd"] = Ns.Itunes, ["http://www.google.com/schemas/play-podcasts/1.0"] = Ns.GooglePlay,
        ["https://podcastindex.org/namespace/1.0"] = Ns.Podcast, ["https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"] = Ns.Podcast,
        [XmlNames.Xhtml] = Ns.Xhtml, [XmlNames.FeedBurner] = Ns.FeedBurner, ["http://purl.org/rss/1.0/modules/syndication"] = Ns.Sy,
        ["http://podlove.org/simple-chapters"] = Ns.Psc, ["http://www.w3.org/1999/02/22-rdf-syntax-ns#"] = Ns.Rdf,
    };

    // XNamespace instances are atomised: a per-thread cache by reference skips the string work for the
    // handful of namespaces a document uses.
    [ThreadStatic] private static XNamespace?[]? seen;
    [ThreadStatic] private static Ns[]? seenKinds;

    public static Ns Of(XNamespace ns)
    {
        var cache = seen ??= new XNamespace?[8];
        var cacheKinds = seenKinds ??= new Ns[8];
        for (var i = 0; i < cache.Length; i++)
        {
            if (ReferenceEquals(cache[i], ns)) return cacheKinds[i];
            if (cache[i] is null)
            {
                cache[i] = ns;
                return cacheKinds[i] = Lookup(ns.NamespaceName);
            }
        }
        Array.Copy(cache, 1, cache, 0, cache.Length - 1);
        Array.Copy(cacheKinds, 1, cacheKinds, 0, cacheKinds.Length - 1);
        cache[^1] = ns;
        return cacheKinds[^1] = Lookup(ns.NamespaceName);
    }

    public static Ns Of(string namespaceName) => Lookup(namespaceName);

    private static Ns Lookup(string uri)
    {
        if (Known.TryGetValue(uri, out var ns)) return ns;
        var trimmed = uri.TrimEnd('/');
        if (Known.TryGetValue(trimmed, out ns)) return ns;
        return trimmed.StartsWith("http://search.yahoo.com/mrss", StringComparison.OrdinalIgnoreCase) ? Ns.Media : Ns.Other;
    }
}
