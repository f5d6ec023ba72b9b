using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;

namespace Aggregator.Core.Parsing;

/// <summary>Maps JSON Feed 1.0/1.1 from FeedReader's model.</summary>
internal static partial class JsonFeedMapper
{
    private const string Version11 = "https://jsonfeed.org/version/1.1";

    /// <summary>
    /// Readies a JSON Feed for FeedReader, which refuses a version it does not know and drops every
    /// item without an id. Feeds write the version loosely ("1.0", "1", "jsonfeed 1.1") while the rest
    /// is valid, so a 1.x version of any spelling becomes the 1.1 URL. An item without id gets one
    /// (<see cref="IdOf"/>) instead of being lost with its content. Anything else is left as written.
    /// </summary>
    public static string Prepare(string json)
    {
        JsonObject? feed;
        try
        {
            feed = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return json; // FeedReader reports the syntax error
        }
        if (feed is null) return json;
        var changed = false;
        if (feed["version"] is JsonValue v && v.TryGetValue<string>(out var version)
            && !version.StartsWith("https://jsonfeed.org/version/", StringComparison.Ordinal) && LooseVersion().IsMatch(version.Trim()))
        {
            feed["version"] = Version11;
            changed = true;
        }
        foreach (var item in (feed["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = item["id"] is JsonValue idValue ? idValue.ToString() : null;
            if (!string.IsNullOrWhiteSpace(id) && item["id"]!.GetValueKind() == JsonValueKind.String) continue;
            item["id"] = string.IsNullOrWhiteSpace(id) ? IdOf(item) : id; // a numeric id becomes its string
            changed = true;
        }
        return changed ? feed.ToJsonString() : json;
    }

    /// <summary>
    /// The identity of an item without id: its url (else external_url), else a hash of its content
    /// that says what it is, <c>urn:aggregator:sha256:…</c> over title, content, summary and date.
    /// </summary>
    internal static string IdOf(JsonObject item)
    {
        string? Get(string key) => item[key] is JsonValue value && value.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
        if ((Get("url") ?? Get("external_url")) is { } url) return url;
        var material = string.Join("\n", Get("title"), Get("content_html"), Get("content_text"), Get("summary"), Get("date_published"));
        return "urn:aggregator:sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)^(?:(?:https?://)?(?:www\.)?jsonfeed\.org/version/|json\s*feed\s*|v)?1(?:\.\d+)?/?$")]
    private static partial System.Text.RegularExpressions.Regex LooseVersion();

    public static ParsedFeed Map(Feed feed, string encoding, Uri? documentUrl)
    {
        var json = (JsonFeed)feed.SpecificFeed;
        var items = json.Items.OfType<JsonFeedItem>().Select(i => Item(i, documentUrl)).ToList();
        var links = new List<FeedLink>();
        if (Abs(json.HomePageUrl, documentUrl) is { } home) links.Add(new FeedLink(home, "alternate", "text/html", null, null, null));
        if (Abs(json.FeedUrl, documentUrl) is { } self) links.Add(new FeedLink(self, "self", "application/feed+json", null, null, null));
        return new ParsedFeed("json1", encoding, json.Title, Abs(json.HomePageUrl, documentUrl), json.Description,
            Abs(json.FeedUrl, documentUrl), json.Language, null, Abs(json.Icon ?? json.Favicon, documentUrl), null, null,
            (json.Authors ?? []).Select(a => new Person(a.Name, null, Abs(a.Url, documentUrl))).ToList(), links, items);
    }

    private static ParsedItem Item(JsonFeedItem item, Uri? documentUrl)
    {
        var link = Abs(item.Url ?? item.ExternalUrl, documentUrl);
        return new ParsedItem(
            item.Id, item.Title, link, item.Summary, item.ContentHtml ?? item.ContentText, null,
            DateParser.Parse(item.DatePublishedString), DateParser.Parse(item.DateModifiedString),
            (item.Authors ?? []).Select(a => new Person(a.Name, null, Abs(a.Url, documentUrl))).ToList(),
            (item.Tags ?? []).ToList(),
            (item.Attachments ?? []).Where(a => a.Url is not null)
                .Select(a => new Enclosure(Abs(a.Url, documentUrl)!, a.MimeType, a.SizeInBytes)).ToList(),
            link is null ? [] : [new FeedLink(link, "alternate", "text/html", null, null, null)]) { Image = Abs(item.Image ?? item.BannerImage, documentUrl) };
    }

    private static string? Abs(string? url, Uri? documentUrl)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var abs) && !abs.IsFile) return abs.ToString();
        return documentUrl is not null && Uri.TryCreate(documentUrl, url, out var rel) ? rel.ToString() : url;
    }
}
