using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Turns bytes into text the way browsers and feedparser do: BOM, then UTF-8 validity, then the
/// XML declaration, then the HTTP charset, then windows-1252 (which ISO-8859-1 labels mean in practice).
/// </summary>
public static partial class TextDecoder
{

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    public static (string Text, string EncodingName) Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        if ((FromByteOrderMark(bytes) ?? FromUtf16Pattern(bytes)) is var (unicode, skip))
            return (unicode.GetString(bytes[skip..]), unicode.WebName);
        if (IsValidUtf8(bytes)) return (Encoding.UTF8.GetString(bytes), "utf-8");

        var encoding = Lookup(DeclaredCharset(bytes)) ?? Lookup(HttpCharset(contentType)) ?? Encoding.GetEncoding(1252);
        return (encoding.GetString(bytes), encoding.WebName);
    }

    private static (Encoding, int)? FromByteOrderMark(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((byte[])[0xEF, 0xBB, 0xBF])) return (Encoding.UTF8, 3);
        if (b.StartsWith((byte[])[0xFF, 0xFE, 0, 0])) return (Encoding.UTF32, 4);
        if (b.StartsWith((byte[])[0, 0, 0xFE, 0xFF])) return (new UTF32Encoding(true, true), 4);
        if (b.StartsWith((byte[])[0xFF, 0xFE])) return (Encoding.Unicode, 2);
        if (b.StartsWith((byte[])[0xFE, 0xFF])) return (Encoding.BigEndianUnicode, 2);
        return null;
    }

    /// <summary>UTF-16/32 without a BOM still starts with '&lt;' (XML 1.0 Appendix F).</summary>
    private static (Encoding, int)? FromUtf16Pattern(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((byte[])[0x3C, 0, 0, 0])) return (Encoding.UTF32, 0);
        if (b.StartsWith((byte[])[0, 0, 0, 0x3C])) return (new UTF32Encoding(true, false), 0);
        if (b.StartsWith((byte[])[0x3C, 0, 0x3F, 0])) return (Encoding.Unicode, 0);
        if (b.StartsWith((byte[])[0, 0x3C, 0, 0x3F])) return (Encoding.BigEndianUnicode, 0);
        return null;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return true;
        try { StrictUtf8.GetCharCount(bytes); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    private static string? DeclaredCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 1024)]);
        var m = XmlDeclaration().Match(head);
        if (m.Success) return m.Groups[1].Value;
        m = MetaCharset().Match(head);
        return m.Success ? m.Groups[1].Value : null;
    }

    public static string? HttpCharset(string? contentType)
    {
        if (contentType is null) return null;
        var m = CharsetParameter().Match(contentType);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static Encoding? Lookup(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        name = name.Trim().ToLowerInvariant();
        // WHATWG Encoding: ISO-8859-1 and US-ASCII labels decode as windows-1252.
        if (name is "iso-8859-1" or "latin1" or "iso8859-1" or "us-ascii" or "ascii" or "l1") return Encoding.GetEncoding(1252);
        try { return Encoding.GetEncoding(name); }
        catch (ArgumentException) { return null; }
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    [GeneratedRegex("""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetParameter();
}
