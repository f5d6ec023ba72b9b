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
        var isJson = head.StartsWith("{");
        if (!isJson && LooksLikeHtml(head))
            throw new FeedParseException($"parse: not a feed ({MediaType(contentType) ?? "an HTML page"})");

        Feed feed;
        try
        {
            feed = FeedReader.ReadFromString(isJson ? text : XmlRepair.Repair(text));
        }
        catch (CodeHollow.FeedReader.Parser.FeedTypeNotSupportedException)
        {
            throw new FeedParseException($"parse: not a feed (no RSS, Atom or JSON Feed root{(MediaType(contentType) is { } t ? $", {t}" : "")})");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FeedParseException($"parse: not a readable feed: {e.Message}", e);
        }
        if (feed.Type == FeedType.Unknown || feed.SpecificFeed is null)
            throw new FeedParseException($"parse: not a feed (no RSS, Atom or JSON Feed root{(MediaType(contentType) is { } t ? $", {t}" : "")})");

        return feed.Type == FeedType.JsonFeed
            ? JsonFeedMapper.Map(feed, encoding, documentUrl)
            : XmlFeedMapper.Map(feed, encoding, documentUrl);
    }

    private static bool LooksLikeHtml(ReadOnlySpan<char> head) =>
        head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
        || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);

    private static string? MediaType(string? contentType) =>
        contentType?.Split(';')[0].Trim() is { Length: > 0 } t ? t : null;
}
