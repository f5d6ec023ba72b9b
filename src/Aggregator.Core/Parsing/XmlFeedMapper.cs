using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Aggregator.Core.Parsing.XmlNames;

namespace Aggregator.Core.Parsing;

/// <summary>Maps RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from FeedReader's raw elements to <see cref="ParsedFeed"/>.</summary>
internal static partial class XmlFeedMapper
{
    public static ParsedFeed Map(XElement root, IReadOnlyList<XElement> itemElements, string encoding, Uri? documentUrl, bool netscape, string? contentLanguage = null)
    {
        if (CdfMapper.IsCdf(root)) return CdfMapper.Map(root, itemElements, encoding, documentUrl);
        var version = VersionOf(root, netscape);
        if (version.StartsWith("atom", StringComparison.Ordinal))
        {
            var entries = itemElements.Select(e => AtomMapper.Item(e, documentUrl)).ToList();
            return AtomMapper.Feed(root, version, encoding, documentUrl, entries, contentLanguage);
        }
        var channel = ChildIndex.Of(root).First(Ns.Rss, "channel") ?? root;
        var items = itemElements.Select(e => RssMapper.Item(e, documentUrl)).ToList();
        return RssMapper.Feed(channel, version, encoding, documentUrl, items, contentLanguage);
    }

    public static bool IsFeedRoot(XElement root) => root.Name.LocalName is "rss" or "feed" or "RDF" or "channel" || CdfMapper.IsCdf(root);

    /// <summary>Entries of an Atom feed; items of an RSS channel (RSS 1.0 keeps them beside the channel).</summary>
    public static IReadOnlyList<XElement> ItemElements(XElement root)
    {
        if (root.Name.LocalName == "feed") return ChildIndex.Of(root).All(Ns.Atom, "entry").Concat(ChildIndex.Of(root).All(Ns.Rss, "entry")).ToList();
        if (CdfMapper.IsCdf(root)) return CdfMapper.Items(root);
        var rootIndex = ChildIndex.Of(root);
        var channel = rootIndex.First(Ns.Rss, "channel") ?? root;
        var items = ChildIndex.Of(channel).All(Ns.Rss, "item");
        return items.Concat(channel == root ? [] : rootIndex.All(Ns.Rss, "item")).ToList();
    }

    private static string VersionOf(XElement root, bool netscape)
    {
        var ns = root.Name.NamespaceName;
        if (root.Name.LocalName == "feed")
            return SameNamespace(Atom10, ns) || ns.Length == 0 ? "atom10"
                : SameNamespace(Atom03, ns) || (string?)root.Attribute("version") == "0.3" ? "atom03" : "atom";
        if (root.Name.LocalName == "RDF")
            return IsRss090(ns) || root.Elements().Any(e => IsRss090(e.Name.NamespaceName))
                || root.Attributes().Any(a => a.IsNamespaceDeclaration && IsRss090(a.Value)) ? "rss090" : "rss10";
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

    /// <summary>RSS 0.90's namespace, however it is spelled (case, trailing slash, the my. and channel. hosts).</summary>
    private static bool IsRss090(string ns) =>
        ns.TrimEnd('/').EndsWith("netscape.com/rdf/simple/0.9", StringComparison.OrdinalIgnoreCase);

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
