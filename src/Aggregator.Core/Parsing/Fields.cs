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

    public static XElement? Find(ChildIndex children, Source source) =>
        (source.Last ? children.Last(source.Ns, source.Local) : children.First(source.Ns, source.Local))
        ?? (source.Ns == Ns.Media && children.Has(Ns.Media) ? InMediaContainers(children, source.Local) : null);

    public static IEnumerable<XElement> All(ChildIndex children, Source[] table)
    {
        foreach (var source in table)
        {
            if (!children.Has(source.Ns)) continue;
            foreach (var element in children.All(source.Ns, source.Local)) yield return element;
        }
    }

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
        foreach (var container in children.All(Ns.Media, "group").Concat(children.All(Ns.Media, "content")))
            foreach (var child in container.Descendants())
                if (child.Name.LocalName == local && Vocabulary.Of(child.Name.Namespace) == Ns.Media) return child;
        return null;
    }

    /// <summary>People from every source in order, without repeats: RSS-style strings, Atom person constructs, iTunes owners.</summary>
    public static List<Person> People(ChildIndex children, Source[] table, Uri? documentUrl)
    {
        var people = new List<Person>();
        foreach (var element in All(children, table))
        {
            var person = element.HasElements ? Structured(element, documentUrl) : Text(element) is { } text ? XmlFeedMapper.ParseRssPerson(text) : null;
            if (person is not null && (person.Name ?? person.Email ?? person.Uri) is not null
                && !people.Contains(person)) people.Add(person);
        }
        return people;
    }

    private static Person Structured(XElement person, Uri? documentUrl)
    {
        var c = ChildIndex.Of(person);
        string? Any(string local) => Text(c.First(Ns.Atom, local) ?? c.First(Ns.Itunes, local) ?? c.First(Ns.Rss, local));
        return new Person(Any("name"), Any("email"), Resolve(Any("uri") ?? Any("url"), person, documentUrl));
    }

    /// <summary>Category terms from every source: iTunes categories nest and carry their term in <c>text</c>; keywords and tags are comma lists.</summary>
    public static List<string> Categories(ChildIndex children, Source[] table)
    {
        var terms = new List<string>();
        foreach (var element in All(children, table)) AddTerms(element, terms);
        if (terms.Count == 0) return terms;
        return terms.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
    }

    private static void AddTerms(XElement element, List<string> terms)
    {
        var ns = Vocabulary.Of(element.Name.Namespace);
        if (ns is Ns.Itunes or Ns.GooglePlay && element.Name.LocalName == "category")
        {
            if (Attr(element, "text") is { } text) terms.Add(text);
            foreach (var nested in element.Elements()) AddTerms(nested, terms);
        }
        else if (element.Name.LocalName is "keywords" or "tags")
            terms.AddRange(element.Value.Split(','));
        else if (ns == Ns.Atom)
        {
            if ((Attr(element, "term") ?? Attr(element, "label") ?? Text(element)) is { } term) terms.Add(term);
        }
        else
            terms.Add(element.Value);
    }

    /// <summary>An image URL: iTunes/Google Play image (href, or url by mistake), Media RSS thumbnail (url), else the element's text.</summary>
    public static string? Image(ChildIndex children, Source[] table, Uri? documentUrl)
    {
        foreach (var source in table)
            if (Find(children, source) is { } element
                && Resolve(Attr(element, "href") ?? Attr(element, "url") ?? (element.HasElements ? null : Text(element)), element, documentUrl) is { } href)
                return href;
        return null;
    }

    /// <summary>Enclosures in either scope: RSS enclosure, link rel="enclosure" (Atom, also inside RSS), Media RSS content (also in media:group); one per URL.</summary>
    public static List<Enclosure> Enclosures(XElement item, ChildIndex children, List<FeedLink> links, Uri? documentUrl)
    {
        if (!children.Has(Ns.Media) && children.First(Ns.Rss, "enclosure") is null && !links.Exists(l => l.Rel == "enclosure")) return [];
        var plain = children.All(Ns.Rss, "enclosure")
            .Select(e => (Url: Resolve(Attr(e, "url"), e, documentUrl), Type: Attr(e, "type"), Length: Long(Attr(e, "length"))));
        var linked = links.Where(l => l.Rel == "enclosure").Select(l => (Url: (string?)l.Href, l.Type, l.Length));
        var media = children.Has(Ns.Media)
            ? item.Descendants().Where(e => e.Name.LocalName == "content" && Vocabulary.Of(e.Name.Namespace) == Ns.Media)
                .Select(e => (Url: Resolve(Attr(e, "url"), e, documentUrl), Type: Attr(e, "type"), Length: Long(Attr(e, "fileSize"))))
            : [];
        return plain.Concat(linked).Concat(media).Where(e => e.Url is not null).DistinctBy(e => e.Url)
            .Select(e => new Enclosure(e.Url!, e.Type, e.Length)).ToList();
    }

    /// <summary>Atom links (also those borrowed by RSS), in document order.</summary>
    public static List<FeedLink> AtomLinks(ChildIndex children, Uri? documentUrl)
    {
        var links = new List<FeedLink>();
        if (!children.Has(Ns.Atom)) return links;
        foreach (var element in children.All(Ns.Atom, "link"))
            if (AtomMapper.Link(element, documentUrl) is { } link) links.Add(link);
        return links;
    }

    /// <summary>Podlove Simple Chapters: each chapter with an address is a link (rel="chapter", its title).</summary>
    public static IEnumerable<FeedLink> Chapters(ChildIndex children, Uri? documentUrl) =>
        !children.Has(Ns.Psc) ? [] : children.All(Ns.Psc, "chapters").SelectMany(c => c.Elements())
            .Where(c => c.Name.LocalName == "chapter")
            .Select(c => Resolve(Attr(c, "href"), c, documentUrl) is { } href ? new FeedLink(href, "chapter", null, Attr(c, "title"), null, null) : null)
            .OfType<FeedLink>();
}
