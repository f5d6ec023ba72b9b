using System.Xml.Linq;
using CodeHollow.FeedReader;

namespace Aggregator.Core.Parsing;

/// <summary>
/// The Parsing stage: bytes (with their HTTP content type and address) in, <see cref="ParsedFeed"/> out.
/// Charset decoding and XML repair happen here, before CodeHollow.FeedReader sees the text.
/// </summary>
public static class FeedParser
{
    public static ParsedFeed Parse(ReadOnlySpan<byte> bytes, string? contentType, Uri? documentUrl)
    {
        if (bytes.IsEmpty) throw new FeedParseException("parse: empty document");
        var (text, encoding) = TextDecoder.Decode(bytes, contentType);
        var head = text.AsSpan().TrimStart().TrimStart('\uFEFF');
        if (head.StartsWith("{")) return ParseJson(text, encoding, documentUrl);
        if (LooksLikeHtml(head))
            throw new FeedParseException($"parse: not a feed ({MediaType(contentType) ?? "an HTML page"})");

        var netscape = text.Contains("-//Netscape Communications//DTD RSS 0.91", StringComparison.Ordinal);
        var xml = XmlRepair.Repair(text);
        var (root, items) = ReadWithFeedReader(xml) ?? ReadOurselves(xml, contentType);
        return XmlFeedMapper.Map(root, items, encoding, documentUrl, netscape);
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

    private static ParsedFeed ParseJson(string text, string encoding, Uri? documentUrl)
    {
        Feed feed;
        try
        {
            feed = FeedReader.ReadFromString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FeedParseException($"parse: not a readable JSON Feed: {e.Message}", e);
        }
        if (feed.Type != FeedType.JsonFeed) throw new FeedParseException("parse: not a feed (JSON without a JSON Feed version)");
        return JsonFeedMapper.Map(feed, encoding, documentUrl);
    }

    private static bool LooksLikeHtml(ReadOnlySpan<char> head) =>
        head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
        || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);

    private static string? MediaType(string? contentType) =>
        contentType?.Split(';')[0].Trim() is { Length: > 0 } t ? t : null;
}
