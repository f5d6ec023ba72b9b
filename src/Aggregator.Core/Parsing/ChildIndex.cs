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
    private readonly Child[] children;
    private readonly int present; // one bit per vocabulary seen
    private readonly ulong namesLow, namesHigh; // one bit per name id seen

    private ChildIndex(Child[] children, int present, ulong namesLow, ulong namesHigh)
    {
        this.children = children;
        this.present = present;
        this.namesLow = namesLow;
        this.namesHigh = namesHigh;
    }

    public static ChildIndex Of(XElement parent)
    {
        var names = ChildNames.ForThisThread();
        var scratch = names.Scratch;
        var layout = names.LayoutOf(parent.Name);
        var count = 0;
        var present = 0;
        ulong low = 0, high = 0;
        for (var node = parent.FirstNode; node is not null; node = node.NextNode)
        {
            if (node is not XElement element) continue;
            var (kind, id) = names.Of(layout, count, element.Name);
            if (count == scratch.Length) Array.Resize(ref scratch, scratch.Length * 2);
            scratch[count++] = new Child(element, kind, id);
            present |= 1 << (int)kind;
            if (id < 64) low |= 1UL << id;
            else high |= 1UL << (id - 64);
        }
        var children = count == 0 ? [] : scratch.AsSpan(0, count).ToArray();
        scratch.AsSpan(0, count).Clear(); // the scratch must not keep the document alive
        names.Scratch = scratch;
        return new ChildIndex(children, present, low, high);
    }

    public bool Has(Ns ns) => (present & (1 << (int)ns)) != 0;

    private bool Has(byte id) => id < 64 ? (namesLow & (1UL << id)) != 0 : (namesHigh & (1UL << (id - 64))) != 0;

    public XElement? First(Ns ns, string local) => First(new Name(ns, local));

    public XElement? First(in Name name)
    {
        if (!MayHave(name)) return null;
        for (var i = 0; i < children.Length; i++)
            if (Matches(i, name)) return children[i].Element;
        return null;
    }

    /// <summary>The last occurrence: a repeated single-valued element is overwritten, as feedparser reads it.</summary>
    public XElement? Last(in Name name)
    {
        if (!MayHave(name)) return null;
        for (var i = children.Length - 1; i >= 0; i--)
            if (Matches(i, name)) return children[i].Element;
        return null;
    }

    public IEnumerable<XElement> All(Ns ns, string local) => All(new Name(ns, local));

    public IEnumerable<XElement> All(Name name) => MayHave(name) ? AllPresent(name) : [];

    /// <summary>The child at a position found by <see cref="Next"/>.</summary>
    public XElement this[int i] => children[i].Element;

    /// <summary>The position of the next child with the name from <paramref name="from"/> on, or -1: <c>for (var i = c.Next(n, 0); i >= 0; i = c.Next(n, i + 1))</c>.</summary>
    public int Next(in Name name, int from)
    {
        if (!MayHave(name)) return -1;
        for (var i = from; i < children.Length; i++)
            if (Matches(i, name)) return i;
        return -1;
    }

    private IEnumerable<XElement> AllPresent(Name name)
    {
        for (var i = 0; i < children.Length; i++)
            if (Matches(i, name)) yield return children[i].Element;
    }

    private bool MayHave(in Name name) => name.Id != 0 ? Has(name.Id) : Has(name.Ns);

    private bool Matches(int i, in Name name) =>
        name.Id != 0 ? children[i].Id == name.Id
        : children[i].Kind == name.Ns && (name.Ns == Ns.Rss
            ? string.Equals(children[i].Element.Name.LocalName, name.Local, StringComparison.OrdinalIgnoreCase)
            : children[i].Element.Name.LocalName == name.Local);

    internal readonly record struct Child(XElement Element, Ns Kind, byte Id);
}

/// <summary>
/// Element name → (vocabulary, name id), per thread. XName instances are atomised, so names are
/// found by reference: first against the name the previous element of the same name had at the
/// same position (the items of a feed repeat one layout), then in a dictionary, bounded (cleared
/// when full) so that feeds inventing names cannot grow it.
/// </summary>
internal sealed class ChildNames
{
    private const int Capacity = 512;
    [ThreadStatic] private static ChildNames? current;
    private readonly Dictionary<XName, (Ns, byte)> seen = [];
    private readonly Layout[] layouts = [new(), new(), new(), new()];
    private int nextLayout;

    /// <summary>A buffer for <see cref="ChildIndex.Of"/>, reused by the thread.</summary>
    public ChildIndex.Child[] Scratch { get; set; } = new ChildIndex.Child[16];

    public static ChildNames ForThisThread() => current ??= new ChildNames();

    /// <summary>The children's names last seen under a parent of this name (item, entry, author…).</summary>
    public Layout LayoutOf(XName parent)
    {
        foreach (var layout in layouts)
            if (ReferenceEquals(layout.Parent, parent)) return layout;
        var replaced = layouts[nextLayout];
        nextLayout = (nextLayout + 1) % layouts.Length;
        replaced.Reset(parent);
        return replaced;
    }

    /// <summary>The vocabulary and id of the name of the child at a position.</summary>
    public (Ns Kind, byte Id) Of(Layout layout, int position, XName name)
    {
        if (layout.Lookup(position, name) is { } cached) return cached;
        if (!seen.TryGetValue(name, out var known))
        {
            if (seen.Count >= Capacity) seen.Clear();
            var kind = Vocabulary.Of(name.Namespace);
            seen[name] = known = (kind, Names.Id(kind, name.LocalName));
        }
        layout.Remember(position, name, known);
        return known;
    }

    internal sealed class Layout
    {
        private readonly XName?[] names = new XName?[16];
        private readonly (Ns, byte)[] kinds = new (Ns, byte)[16];
        public XName? Parent { get; private set; }

        public void Reset(XName parent)
        {
            Parent = parent;
            Array.Clear(names);
        }

        public (Ns, byte)? Lookup(int position, XName name) =>
            position < names.Length && ReferenceEquals(names[position], name) ? kinds[position] : null;

        public void Remember(int position, XName name, (Ns, byte) kind)
        {
            if (position >= names.Length) return;
            names[position] = name;
            kinds[position] = kind;
        }
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
