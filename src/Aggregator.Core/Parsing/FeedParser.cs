using System.Xml.Linq;
using CodeHollow.FeedReader;

namespace Aggregator.Core.Parsing;

/// <summary>
/// The Parsing stage: bytes (with their HTTP content type and address) in, <see cref="ParsedFeed"/> out.
/// Charset decoding and XML repair happen here, before CodeHollow.FeedReader sees the text.
/// </summary>
public static class FeedParser
{
    /// <param name="contentLanguage">The HTTP Content-Language, the feed's language when the feed names none.</param>
    public static ParsedFeed Parse(ReadOnlySpan<byte> bytes, string? contentType, Uri? documentUrl, string? contentLanguage = null)
    {
        if (bytes.IsEmpty) throw new FeedParseException("parse: empty document");
        var (text, encoding) = TextDecoder.Decode(bytes, contentType);
        var head = text.AsSpan().TrimStart().TrimStart('\uFEFF');
        if (head.StartsWith("{")) return MojibakeRepair.Apply(ParseJson(text, encoding, documentUrl, contentLanguage));
        if (LooksLikeHtml(head))
            throw new FeedParseException($"parse: not a feed ({MediaType(contentType) ?? "an HTML page"})");

        var xml = XmlRepair.Repair(text);
        var read = ReadWithFeedReader(xml);
        if (read is null && NamespaceRepair.DeclareMissingPrefixes(xml) is { } declared)
        {
            xml = declared; // an undeclared prefix (itunes:, atom:, content:…) must not lose the feed
            read = ReadWithFeedReader(xml);
        }
        var (root, items) = read ?? ReadOurselves(xml, contentType);
        // Netscape's DOCTYPE (removed by the repair) tells RSS 0.91n from 0.91u; only 0.91 feeds pay for the look.
        var netscape = (string?)root.Attribute("version") == "0.91" && text.Contains("-//Netscape Communications//DTD RSS 0.91", StringComparison.Ordinal);
        var feed = XmlFeedMapper.Map(root, items, encoding, documentUrl, netscape, contentLanguage);
        return encoding == "utf-8" ? MojibakeRepair.Apply(feed) : feed;
    }

    /// <summary>FeedReader first; its raw elements feed our mapping. It gives up (null) on feeds it cannot model.</summary>
    private static (XElement Root, IReadOnlyList<XElement> Items)? ReadWithFeedReader(string xml)
    {
        try
        {
            var feed = FeedReader.ReadFromString(xml);
            if (feed.Type == FeedType.Unknown || feed.SpecificFeed?.Element is not { } element) return null;
            var items = feed.Items.Select(i => i.SpecificItem?.Element).OfType<XElement>().ToList();
            return (element.Document?.Root ?? element, items);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // e.g. an RSS root without a channel, or XML that only the loose reader accepts
        }
    }

    private static (XElement Root, IReadOnlyList<XElement> Items) ReadOurselves(string xml, string? contentType)
    {
        var root = LooseXml.Parse(xml).Root;
        if (root is null || !XmlFeedMapper.IsFeedRoot(root))
            throw new FeedParseException($"parse: not a feed (no RSS, Atom or JSON Feed root{(MediaType(contentType) is { } t ? $", {t}" : "")})");
        return (root, XmlFeedMapper.ItemElements(root));
    }

    private static ParsedFeed ParseJson(string text, string encoding, Uri? documentUrl, string? contentLanguage)
    {
        Feed feed;
        try
        {
            feed = FeedReader.ReadFromString(JsonFeedMapper.Prepare(text));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FeedParseException($"parse: not a readable JSON Feed: {e.Message}", e);
        }
        if (feed.Type != FeedType.JsonFeed) throw new FeedParseException("parse: not a feed (JSON without a JSON Feed version)");
        var parsed = JsonFeedMapper.Map(feed, encoding, documentUrl);
        return parsed.Language is null && RssMapper.FirstLanguage(contentLanguage) is { } language ? parsed with { Language = language } : parsed;
    }

    private static bool LooksLikeHtml(ReadOnlySpan<char> head) =>
        head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
        || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);

    private static string? MediaType(string? contentType) =>
        contentType?.Split(';')[0].Trim() is { Length: > 0 } t ? t : null;
}
