using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>Reads the fields of <see cref="Precedence"/> from an element's <see cref="ChildIndex"/>, in both scopes.</summary>
internal static class Fields
{
    /// <summary>The first source present with a non-empty value; an HTML field present but empty gives "" (not absent).</summary>
    public static string? String(ChildIndex children, Source[] table, Uri? documentUrl)
    {
        string? empty = null;
        foreach (var source in table)
        {
            if (Find(children, source) is not { } element) continue;
            var value = Read(element, source.As, documentUrl);
            if (!string.IsNullOrEmpty(value)) return value;
            empty ??= value;
        }
        return empty;
    }

    /// <summary>The first source whose text is a date we understand; each candidate is parsed once.</summary>
    public static DateTimeOffset? Date(ChildIndex children, Source[] table)
    {
        foreach (var source in table)
            if (Find(children, source) is { } element && DateParser.Parse(Text(element)) is { } date) return date;
        return null;
    }

    public static XElement? Find(ChildIndex children, in Source source) =>
        (source.Last ? children.Last(source.Name) : children.First(source.Name))
        ?? (source.Ns == Ns.Media && children.Has(Ns.Media) ? InMediaContainers(children, source.Local) : null);

    private static string? Read(XElement element, Reading reading, Uri? documentUrl) => reading switch
    {
        Reading.Markup => TextOrMarkup(element),
        Reading.Html => Html(element, documentUrl),
        Reading.Construct => AtomMapper.TextConstruct(element, documentUrl),
        _ => Text(element),
    };

    /// <summary>Media RSS puts title, description, thumbnail and credits inside media:group or media:content too.</summary>
    private static XElement? InMediaContainers(ChildIndex children, string local)
    {
        foreach (var container in children.All(MediaGroup).Concat(children.All(MediaContent)))
            foreach (var child in container.Descendants())
                if (child.Name.LocalName == local && Vocabulary.Of(child.Name.Namespace) == Ns.Media) return child;
        return null;
    }

    /// <summary>People from every source in order, without repeats: RSS-style strings, Atom person constructs, iTunes owners.</summary>
    public static List<Person> People(ChildIndex children, Source[] table, Uri? documentUrl)
    {
        var people = new List<Person>();
        foreach (var source in table)
            for (var i = children.Next(source.Name, 0); i >= 0; i = children.Next(source.Name, i + 1))
            {
                var element = children[i];
                var person = element.HasElements ? Structured(element, documentUrl) : Text(element) is { } text ? XmlFeedMapper.ParseRssPerson(text) : null;
                if (person is not null && (person.Name ?? person.Email ?? person.Uri) is not null
                    && !people.Contains(person)) people.Add(person);
            }
        return people;
    }

    // A person's parts, in the vocabularies that spell them: Atom, iTunes, then RSS.
    private static readonly Name[] PersonName = [new(Ns.Atom, "name"), new(Ns.Itunes, "name"), new(Ns.Rss, "name")];
    private static readonly Name[] PersonEmail = [new(Ns.Atom, "email"), new(Ns.Itunes, "email"), new(Ns.Rss, "email")];
    private static readonly Name[] PersonUri = [new(Ns.Atom, "uri"), new(Ns.Itunes, "uri"), new(Ns.Rss, "uri")];
    private static readonly Name[] PersonUrl = [new(Ns.Atom, "url"), new(Ns.Itunes, "url"), new(Ns.Rss, "url")];
    private static readonly Name MediaGroup = new(Ns.Media, "group");
    private static readonly Name MediaContent = new(Ns.Media, "content");
    private static readonly Name RssEnclosure = new(Ns.Rss, "enclosure");
    private static readonly Name AtomLink = new(Ns.Atom, "link");
    private static readonly Name PscChapters = new(Ns.Psc, "chapters");

    private static Person Structured(XElement person, Uri? documentUrl)
    {
        var c = ChildIndex.Of(person);
        return new Person(FirstText(c, PersonName), FirstText(c, PersonEmail), Resolve(FirstText(c, PersonUri) ?? FirstText(c, PersonUrl), person, documentUrl));
    }

    /// <summary>The text of the first of the names present (null when that one is empty).</summary>
    private static string? FirstText(ChildIndex c, Name[] names)
    {
        foreach (var name in names)
            if (c.First(name) is { } element) return Text(element);
        return null;
    }

    /// <summary>Category terms from every source: iTunes categories nest and carry their term in <c>text</c>; keywords and tags are comma lists.</summary>
    public static List<string> Categories(ChildIndex children, Source[] table)
    {
        var terms = new List<string>();
        foreach (var source in table)
            for (var i = children.Next(source.Name, 0); i >= 0; i = children.Next(source.Name, i + 1))
                AddTerms(children[i], terms);
        return terms.Count == 0 ? terms : Distinct(terms);
    }

    /// <summary>Trimmed, non-empty, each once, in first-seen order.</summary>
    private static List<string> Distinct(List<string> terms)
    {
        var distinct = new List<string>(terms.Count);
        HashSet<string>? seen = terms.Count > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var term in terms)
        {
            var t = term.Trim();
            if (t.Length > 0 && (seen?.Add(t) ?? !distinct.Contains(t))) distinct.Add(t);
        }
        return distinct;
    }

    private static void AddTerms(XElement element, List<string> terms)
    {
        var ns = Vocabulary.Of(element.Name.Namespace);
        if (ns is Ns.Itunes or Ns.GooglePlay && element.Name.LocalName == "category")
        {
            if (Attr(element, Attributes.Text) is { } text) terms.Add(text);
            foreach (var nested in element.Elements()) AddTerms(nested, terms);
        }
        else if (element.Name.LocalName is "keywords" or "tags")
            terms.AddRange(element.Value.Split(','));
        else if (ns == Ns.Atom)
        {
            if ((Attr(element, Attributes.Term) ?? Attr(element, Attributes.Label) ?? Text(element)) is { } term) terms.Add(term);
        }
        else
            terms.Add(element.Value);
    }

    /// <summary>An image URL: iTunes/Google Play image (href, or url by mistake), Media RSS thumbnail (url), else the element's text.</summary>
    public static string? Image(ChildIndex children, Source[] table, Uri? documentUrl)
    {
        foreach (var source in table)
            if (Find(children, source) is { } element
                && Resolve(Attr(element, Attributes.Href) ?? Attr(element, Attributes.Url) ?? (element.HasElements ? null : Text(element)), element, documentUrl) is { } href)
                return href;
        return null;
    }

    /// <summary>Enclosures in either scope: RSS enclosure, link rel="enclosure" (Atom, also inside RSS), Media RSS content (also in media:group); one per URL.</summary>
    public static List<Enclosure> Enclosures(XElement item, ChildIndex children, List<FeedLink> links, Uri? documentUrl)
    {
        if (!children.Has(Ns.Media) && children.First(RssEnclosure) is null && !links.Exists(l => l.Rel == "enclosure")) return [];
        var plain = children.All(RssEnclosure)
            .Select(e => (Url: Resolve(Attr(e, Attributes.Url), e, documentUrl), Type: Attr(e, Attributes.Type), Length: Long(Attr(e, Attributes.Length))));
        var linked = links.Where(l => l.Rel == "enclosure").Select(l => (Url: (string?)l.Href, l.Type, l.Length));
        var media = children.Has(Ns.Media)
            ? item.Descendants().Where(e => e.Name.LocalName == "content" && Vocabulary.Of(e.Name.Namespace) == Ns.Media)
                .Select(e => (Url: Resolve(Attr(e, Attributes.Url), e, documentUrl), Type: Attr(e, Attributes.Type), Length: Long(Attr(e, "fileSize"))))
            : [];
        return plain.Concat(linked).Concat(media).Where(e => e.Url is not null).DistinctBy(e => e.Url)
            .Select(e => new Enclosure(e.Url!, e.Type, e.Length)).ToList();
    }

    /// <summary>Atom links (also those borrowed by RSS), in document order.</summary>
    public static List<FeedLink> AtomLinks(ChildIndex children, Uri? documentUrl)
    {
        var links = new List<FeedLink>();
        if (!children.Has(Ns.Atom)) return links;
        for (var i = children.Next(AtomLink, 0); i >= 0; i = children.Next(AtomLink, i + 1))
            if (AtomMapper.Link(children[i], documentUrl) is { } link) links.Add(link);
        return links;
    }

    /// <summary>Podlove Simple Chapters: each chapter with an address is a link (rel="chapter", its title).</summary>
    public static IEnumerable<FeedLink> Chapters(ChildIndex children, Uri? documentUrl) =>
        !children.Has(Ns.Psc) ? [] : children.All(PscChapters).SelectMany(c => c.Elements())
            .Where(c => c.Name.LocalName == "chapter")
            .Select(c => Resolve(Attr(c, Attributes.Href), c, documentUrl) is { } href ? new FeedLink(href, "chapter", null, Attr(c, Attributes.Title), null, null) : null)
            .OfType<FeedLink>();
}
