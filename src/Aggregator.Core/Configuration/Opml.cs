using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Aggregator.Core.Configuration;

/// <summary>A feed found in an OPML file: its outline's title, feed URL and folder.</summary>
public sealed record OpmlFeed(string Title, Uri Url, string? Category);

/// <summary>What an import did to <c>feeds.json</c>.</summary>
public sealed record OpmlImportResult(string Json, IReadOnlyList<string> Added, IReadOnlyList<string> Skipped);

/// <summary>
/// OPML 2.0 subscription lists, the format every feed reader imports and exports: export of the
/// configured feeds (one folder per category) and import into <c>feeds.json</c> (ids derived from
/// titles, feeds already present skipped, category from the enclosing folder).
/// </summary>
public static partial class Opml
{
    private const int MaxBytes = 5 * 1024 * 1024;

    public static string Export(AggregatorConfig config, DateTimeOffset now)
    {
        var body = new XElement("body", config.Categories.Select(category => new XElement("outline",
            new XAttribute("text", category), new XAttribute("title", category),
            config.Feeds.Where(f => string.Equals(f.Category, category, StringComparison.OrdinalIgnoreCase)).Select(f => new XElement("outline",
                new XAttribute("type", "rss"), new XAttribute("text", f.Title ?? f.Id), new XAttribute("title", f.Title ?? f.Id),
                new XAttribute("xmlUrl", f.Url.ToString()))))));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("opml", new XAttribute("version", "2.0"),
            new XElement("head", new XElement("title", config.Output.Title), new XElement("dateCreated", now.ToString("r", CultureInfo.InvariantCulture))),
            body));
        var output = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(output), new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 })) document.Save(writer);
        return output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    /// <summary>Every outline with an http(s) <c>xmlUrl</c>, with its folder (the nearest enclosing outline without one).</summary>
    public static IReadOnlyList<OpmlFeed> Read(string xml)
    {
        if (xml.Length > MaxBytes) throw new FormatException($"opml: the file is larger than {MaxBytes / 1024 / 1024} MB");
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"opml: not well-formed XML: {e.Message}", e);
        }
        if (document.Root?.Name.LocalName != "opml") throw new FormatException("opml: the root element is not <opml>");
        var feeds = new List<OpmlFeed>();
        foreach (var outline in document.Descendants().Where(e => e.Name.LocalName == "outline"))
        {
            var xmlUrl = Attribute(outline, "xmlUrl");
            if (xmlUrl is null || !Uri.TryCreate(xmlUrl.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) continue;
            var folder = outline.Ancestors().FirstOrDefault(a => a.Name.LocalName == "outline" && Attribute(a, "xmlUrl") is null);
            var title = Attribute(outline, "title") ?? Attribute(outline, "text") ?? url.Host;
            feeds.Add(new OpmlFeed(title.Trim(), url, folder is null ? null : (Attribute(folder, "title") ?? Attribute(folder, "text"))?.Trim()));
        }
        return feeds;
    }

    /// <summary>
    /// Adds the feeds to the text of <c>feeds.json</c> (everything else in it is kept). A feed whose
    /// URL is already configured, or listed twice, is skipped; ids come from titles, made unique.
    /// </summary>
    public static OpmlImportResult AddTo(string json, IEnumerable<OpmlFeed> feeds)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
            ?? throw new FormatException("config: the root of feeds.json is not an object");
        if (root["feeds"] is not JsonArray list)
        {
            list = [];
            root["feeds"] = list;
        }
        var ids = list.Select(f => f?["id"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var urls = list.Select(f => f?["url"]?.GetValue<string>()).OfType<string>().Select(Normal).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = new List<string>();
        var skipped = new List<string>();
        foreach (var feed in feeds)
        {
            if (!urls.Add(Normal(feed.Url.ToString())))
            {
                skipped.Add($"{feed.Url} (already subscribed)");
                continue;
            }
            var id = UniqueId(Slug(feed.Title) ?? Slug(feed.Url.Host + feed.Url.AbsolutePath) ?? "feed", ids);
            var entry = new JsonObject { ["id"] = id, ["url"] = feed.Url.ToString(), ["title"] = feed.Title };
            if (feed.Category is { Length: > 0 } category) entry["category"] = category;
            list.Add((JsonNode)entry);
            added.Add(id);
        }
        return new OpmlImportResult(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), added, skipped);
    }

    private static string Normal(string url) => url.Trim().TrimEnd('/').Replace("://www.", "://", StringComparison.OrdinalIgnoreCase);

    private static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value is { Length: > 0 } v ? v : null;

    private static string? Slug(string text)
    {
        var ascii = new string(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
        var slug = NonSlug().Replace(ascii.ToLowerInvariant(), "-").Trim('-', '.', '_');
        return slug.Length == 0 ? null : slug[..Math.Min(slug.Length, 56)].TrimEnd('-');
    }

    private static string UniqueId(string slug, HashSet<string> taken)
    {
        var id = slug;
        for (var n = 2; !taken.Add(id); n++) id = $"{slug}-{n}";
        return id;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
