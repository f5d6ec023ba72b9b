using System.Text;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Double-encoded UTF-8: text that was UTF-8, read as ISO-8859-1/windows-1252 and encoded as UTF-8
/// again ("â€¦" for "…"), often through character references (<c>&amp;#226;&amp;#128;&amp;#166;</c>).
/// A text value of a UTF-8 document is re-read when every character of it is one byte in
/// windows-1252 (or Latin-1) and those bytes are valid UTF-8 with at least one multi-byte sequence,
/// which ordinary accented text ("café") never is. feedparser applies the same rule.
/// </summary>
internal static class MojibakeRepair
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly Dictionary<char, byte> Windows1252 = BuildWindows1252();

    public static ParsedFeed Apply(ParsedFeed feed)
    {
        List<ParsedItem>? items = null;
        for (var i = 0; i < feed.Items.Count; i++)
        {
            var item = feed.Items[i];
            var repaired = Apply(item);
            if (ReferenceEquals(repaired, item)) continue;
            items ??= [.. feed.Items];
            items[i] = repaired;
        }
        var (title, description, rights) = (Fix(feed.Title), Fix(feed.Description), Fix(feed.Rights));
        if (items is null && ReferenceEquals(title, feed.Title) && ReferenceEquals(description, feed.Description) && ReferenceEquals(rights, feed.Rights))
            return feed;
        return feed with { Title = title, Description = description, Rights = rights, Items = items ?? feed.Items };
    }

    private static ParsedItem Apply(ParsedItem item)
    {
        var (title, summary, content, rights) = (Fix(item.Title), Fix(item.Summary), Fix(item.Content), Fix(item.Rights));
        if (ReferenceEquals(title, item.Title) && ReferenceEquals(summary, item.Summary) && ReferenceEquals(content, item.Content) && ReferenceEquals(rights, item.Rights))
            return item;
        return item with { Title = title, Summary = summary, Content = content, Rights = rights };
    }

    /// <summary>The repaired text, or the same instance when it is not double-encoded.</summary>
    internal static string? Fix(string? text)
    {
        if (text is null) return null;
        var lead = text.AsSpan().IndexOfAnyInRange('\u00C2', '\u00F4');
        if (lead < 0 || lead + 1 >= text.Length || !IsContinuation(text[lead + 1])) return text;
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c <= '\u00FF') bytes[i] = (byte)c;
            else if (Windows1252.TryGetValue(c, out var b)) bytes[i] = b;
            else return text;
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return text;
        }
    }

    private static bool IsContinuation(char c) => c is >= '\u0080' and <= '\u00BF' || (Windows1252.TryGetValue(c, out var b) && b is >= 0x80 and <= 0xBF);

    private static Dictionary<char, byte> BuildWindows1252()
    {
        var encoding = Encoding.GetEncoding(1252);
        var map = new Dictionary<char, byte>();
        for (var b = 0x80; b <= 0x9F; b++)
            if (encoding.GetString([(byte)b]) is [var c] && c > '\u00FF') map[c] = (byte)b;
        return map;
    }
}
