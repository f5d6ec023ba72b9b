using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;

namespace Aggregator.Core.Parsing;

/// <summary>Maps JSON Feed 1.0/1.1 from FeedReader's model.</summary>
internal static class JsonFeedMapper
{
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
            link is null ? [] : [new FeedLink(link, "alternate", "text/html", null, null, null)]);
    }

    private static string? Abs(string? url, Uri? documentUrl)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var abs) && !abs.IsFile) return abs.ToString();
        return documentUrl is not null && Uri.TryCreate(documentUrl, url, out var rel) ? rel.ToString() : url;
    }
}
