using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Feeds often use a prefix (<c>itunes:author</c>, <c>atom:link</c>, <c>content:encoded</c>) without
/// declaring it, which makes the whole document ill-formed XML. This declares every prefix that is
/// used but never declared on the root element: the well-known ones with their real namespace (so
/// the mapping reads them), any other with a placeholder URI (so the feed still parses). It runs
/// only after a first parse failed, so well-formed feeds pay nothing.
/// </summary>
public static partial class NamespaceRepair
{
    private static readonly Dictionary<string, string> WellKnown = new(StringComparer.Ordinal)
    {
        ["itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd",
        ["atom"] = "http://www.w3.org/2005/Atom",
        ["content"] = "http://purl.org/rss/1.0/modules/content/",
        ["dc"] = "http://purl.org/dc/elements/1.1/",
        ["dcterms"] = "http://purl.org/dc/terms/",
        ["media"] = "http://search.yahoo.com/mrss/",
        ["georss"] = "http://www.georss.org/georss",
        ["sy"] = "http://purl.org/rss/1.0/modules/syndication/",
        ["slash"] = "http://purl.org/rss/1.0/modules/slash/",
        ["wfw"] = "http://wellformedweb.org/CommentAPI/",
        ["psc"] = "http://podlove.org/simple-chapters",
        ["googleplay"] = "http://www.google.com/schemas/play-podcasts/1.0",
        ["podcast"] = "https://podcastindex.org/namespace/1.0",
        ["rdf"] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        ["feedburner"] = "http://rssnamespace.org/feedburner/ext/1.0",
        ["thr"] = "http://purl.org/syndication/thread/1.0",
        ["xhtml"] = "http://www.w3.org/1999/xhtml",
        ["geo"] = "http://www.w3.org/2003/01/geo/wgs84_pos#",
        ["admin"] = "http://webns.net/mvcb/",
        ["cc"] = "http://web.resource.org/cc/",
        ["creativeCommons"] = "http://backend.userland.com/creativeCommonsRssModule",
    };

    /// <summary>The document with the missing declarations added to its root element, or null when none is missing.</summary>
    public static string? DeclareMissingPrefixes(string xml)
    {
        var root = RootTag().Match(xml);
        if (!root.Success) return null;
        var declared = new HashSet<string>(StringComparer.Ordinal) { "xml", "xmlns" };
        foreach (Match d in Declaration().Matches(xml)) declared.Add(d.Groups[1].Value);
        var missing = new List<string>();
        foreach (Match use in PrefixedName().Matches(xml))
        {
            var prefix = use.Groups["p"].Value;
            if (declared.Add(prefix)) missing.Add(prefix);
        }
        if (missing.Count == 0) return null;
        var declarations = new StringBuilder();
        foreach (var prefix in missing)
            declarations.Append(" xmlns:").Append(prefix).Append("=\"")
                .Append(WellKnown.TryGetValue(prefix, out var uri) ? uri : "urn:aggregator:undeclared:" + prefix).Append('"');
        var at = root.Groups[1].Index + root.Groups[1].Length;
        return string.Concat(xml.AsSpan(0, at), declarations.ToString(), xml.AsSpan(at));
    }

    // The first element start tag after the prolog (declaration, comments, processing instructions).
    [GeneratedRegex(@"<([A-Za-z_][\w.:-]*)")]
    private static partial Regex RootTag();

    [GeneratedRegex(@"\sxmlns:([A-Za-z_][\w.-]*)\s*=")]
    private static partial Regex Declaration();

    // A prefixed element name (start or end tag) or a prefixed attribute name inside a tag.
    [GeneratedRegex(@"</?(?<p>[A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*|(?<=<[A-Za-z_][^<>]*\s)(?<p>[A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")]
    private static partial Regex PrefixedName();
}
