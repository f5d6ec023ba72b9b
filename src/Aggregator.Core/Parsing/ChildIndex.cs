using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>The vocabularies the mappers read, whatever URI spelling a feed uses for them.</summary>
internal enum Ns : byte
{
    Other, Rss, Atom, Dc, DcTerms, Content, Media, Itunes, GooglePlay, Podcast, Xhtml, FeedBurner, Sy, Psc, Rdf,
}

/// <summary>
/// An element name the mappers read: a vocabulary and a local name, with its small id in
/// <see cref="Names"/> (0 for a name outside the table, which is then compared as a string).
/// </summary>
internal readonly struct Name
{
    public Name(Ns ns, string local)
    {
        Ns = ns;
        Local = local;
        Id = Names.Id(ns, local);
    }

    public Ns Ns { get; }
    public string Local { get; }
    public byte Id { get; }
}

/// <summary>
/// The element names the mappers look for, each numbered once, so that an element's children are
/// classified in one pass (<see cref="ChildIndex.Of"/>) and a lookup compares small ids, not strings.
/// RSS core names match case-insensitively (iTunes reads them so); the others exactly.
/// </summary>
internal static class Names
{
    private static readonly (Ns Ns, string Locals)[] Table =
    [
        (Ns.Rss, "title description link guid pubDate lastBuildDate author managingEditor category copyright language image url ttl enclosure body fullitem summary tags channel item entry name email uri"),
        (Ns.Atom, "title subtitle tagline summary content id published issued created updated modified rights copyright author category link logo icon entry name email uri url"),
        (Ns.Dc, "title description date creator author publisher rights subject identifier language"),
        (Ns.DcTerms, "issued created available modified rights"),
        (Ns.Content, "encoded"),
        (Ns.Xhtml, "body"),
        (Ns.Itunes, "title subtitle summary author owner category keywords image link name email uri url"),
        (Ns.GooglePlay, "description author category image"),
        (Ns.Media, "title description copyright category thumbnail group content"),
        (Ns.FeedBurner, "origLink"),
        (Ns.Sy, "updatePeriod updateFrequency"),
        (Ns.Psc, "chapters"),
    ];

    // Per vocabulary: local name → id. Ids start at 1 and stay below 128 (one bit each in ChildIndex).
    private static readonly Dictionary<string, byte>?[] ByVocabulary = Build();

    private static Dictionary<string, byte>?[] Build()
    {
        var byVocabulary = new Dictionary<string, byte>?[Enum.GetValues<Ns>().Length];
        byte next = 1;
        foreach (var (ns, locals) in Table)
        {
            var names = byVocabulary[(int)ns] ??= new Dictionary<string, byte>(ns == Ns.Rss ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            foreach (var local in locals.Split(' '))
                if (names.TryAdd(local, next)) next++;
        }
        if (next > 128) throw new InvalidOperationException("more than 127 element names: widen ChildIndex's mask");
        return byVocabulary;
    }

    /// <summary>The id of a name, or 0 when the table does not have it.</summary>
    public static byte Id(Ns ns, string local) =>
        ByVocabulary[(int)ns] is { } names && names.TryGetValue(local, out var id) ? id : (byte)0;
}

/// <summary>
/// One pass over an element's children, each tagged with its vocabulary and its <see cref="Names"/>
/// id, so that the mappers' many field lookups are a bit test (most fields are absent) and, when
/// present, a scan over small ids instead of repeated walks with string comparisons.
/// </summary>
internal sealed class ChildIndex
{
    private readonly XElement[] elements;
    private readonly Ns[] kinds;
    private readonly byte[] ids;
    private readonly int present; // one bit per vocabulary seen
    private readonly ulong namesLow, namesHigh; // one bit per name id seen

    private ChildIndex(XElement[] elements, Ns[] kinds, byte[] ids, int present, ulong namesLow, ulong namesHigh)
    {
        this.elements = elements;
        this.kinds = kinds;
        this.ids = ids;
        this.present = present;
        this.namesLow = namesLow;
        this.namesHigh = namesHigh;
    }

    public static ChildIndex Of(XElement parent)
    {
        var count = 0;
        for (var node = parent.FirstNode; node is not null; node = node.NextNode)
            if (node is XElement) count++;
        var elements = new XElement[count];
        var kinds = new Ns[count];
        var ids = new byte[count];
        var present = 0;
        ulong low = 0, high = 0;
        var cache = ChildNames.ForThisThread();
        var i = 0;
        for (var node = parent.FirstNode; node is not null; node = node.NextNode)
        {
            if (node is not XElement element) continue;
            var (kind, id) = cache.Of(element.Name);
            elements[i] = element;
            kinds[i] = kind;
            ids[i++] = id;
            present |= 1 << (int)kind;
            if (id < 64) low |= 1UL << id;
            else high |= 1UL << (id - 64);
        }
        return new ChildIndex(elements, kinds, ids, present, low, high);
    }

    public bool Has(Ns ns) => (present & (1 << (int)ns)) != 0;

    private bool Has(byte id) => id < 64 ? (namesLow & (1UL << id)) != 0 : (namesHigh & (1UL << (id - 64))) != 0;

    public XElement? First(Ns ns, string local) => First(new Name(ns, local));

    public XElement? First(in Name name)
    {
        if (!MayHave(name)) return null;
        for (var i = 0; i < elements.Length; i++)
            if (Matches(i, name)) return elements[i];
        return null;
    }

    /// <summary>The last occurrence: a repeated single-valued element is overwritten, as feedparser reads it.</summary>
    public XElement? Last(in Name name)
    {
        if (!MayHave(name)) return null;
        for (var i = elements.Length - 1; i >= 0; i--)
            if (Matches(i, name)) return elements[i];
        return null;
    }

    public IEnumerable<XElement> All(Ns ns, string local) => All(new Name(ns, local));

    public IEnumerable<XElement> All(Name name) => MayHave(name) ? AllPresent(name) : [];

    /// <summary>The child at a position found by <see cref="Next"/>.</summary>
    public XElement this[int i] => elements[i];

    /// <summary>The position of the next child with the name from <paramref name="from"/> on, or -1: <c>for (var i = c.Next(n, 0); i >= 0; i = c.Next(n, i + 1))</c>.</summary>
    public int Next(in Name name, int from)
    {
        if (!MayHave(name)) return -1;
        for (var i = from; i < elements.Length; i++)
            if (Matches(i, name)) return i;
        return -1;
    }

    private IEnumerable<XElement> AllPresent(Name name)
    {
        for (var i = 0; i < elements.Length; i++)
            if (Matches(i, name)) yield return elements[i];
    }

    private bool MayHave(in Name name) => name.Id != 0 ? Has(name.Id) : Has(name.Ns);

    private bool Matches(int i, in Name name) =>
        name.Id != 0 ? ids[i] == name.Id
        : kinds[i] == name.Ns && (name.Ns == Ns.Rss
            ? string.Equals(elements[i].Name.LocalName, name.Local, StringComparison.OrdinalIgnoreCase)
            : elements[i].Name.LocalName == name.Local);
}

/// <summary>
/// Element name → (vocabulary, name id), per thread. XName instances are atomised, so a document's
/// few dozen names are found by reference; the cache is bounded (cleared when full) so that feeds
/// inventing names cannot grow it.
/// </summary>
internal sealed class ChildNames
{
    private const int Capacity = 512;
    [ThreadStatic] private static ChildNames? current;
    private readonly Dictionary<XName, (Ns, byte)> seen = [];

    public static ChildNames ForThisThread() => current ??= new ChildNames();

    public (Ns Kind, byte Id) Of(XName name)
    {
        if (seen.TryGetValue(name, out var known)) return known;
        if (seen.Count >= Capacity) seen.Clear();
        var kind = Vocabulary.Of(name.Namespace);
        return seen[name] = (kind, Names.Id(kind, name.LocalName));
    }
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
