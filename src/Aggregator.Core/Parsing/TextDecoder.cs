using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Turns bytes into text the way feedparser and browsers do. A byte-order mark (or the UTF-16/32
/// shape of "&lt;?") wins; otherwise the charset that RFC 3023 assigns to the media type (the HTTP
/// charset, else the XML declaration for application/*xml, else us-ascii for text/*), then the XML
/// declaration, UTF-8 and windows-1252 are tried in turn, strictly, and the first that decodes is
/// used and reported. An ISO-8859-1 label decodes as windows-1252, as browsers do.
/// </summary>
public static partial class TextDecoder
{
    public static (string Text, string EncodingName) Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        if (Unicode(bytes) is var (unicode, name, skip)) return (unicode.GetString(bytes[skip..]), name);
        var declared = DeclaredCharset(bytes);
        foreach (var label in Candidates(contentType, declared))
        {
            if (Strict(label) is not { } encoding) continue;
            try
            {
                return (encoding.GetString(bytes), ReportedName(label, encoding));
            }
            catch (DecoderFallbackException)
            {
                // Not this one; try the next candidate.
            }
        }
        return (Encoding.GetEncoding(1252).GetString(bytes), "windows-1252");
    }

    /// <summary>RFC 3023 §3 and feedparser's order of candidates.</summary>
    private static IEnumerable<string> Candidates(string? contentType, string? declared)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        var http = HttpCharset(contentType);
        var rfc3023 = media switch
        {
            null or "" => declared ?? "utf-8",
            "application/xml" or "application/xml-dtd" or "application/xml-external-parsed-entity" => http ?? declared ?? "utf-8",
            _ when media.StartsWith("application/", StringComparison.Ordinal) && media.EndsWith("+xml", StringComparison.Ordinal) => http ?? declared ?? "utf-8",
            _ when media.StartsWith("text/", StringComparison.Ordinal) => http ?? "us-ascii",
            _ => http ?? declared ?? "utf-8",
        };
        yield return rfc3023;
        if (declared is not null) yield return declared;
        yield return "utf-8";
        yield return "windows-1252";
    }

    private static (Encoding, string, int)? Unicode(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((byte[])[0xEF, 0xBB, 0xBF])) return (Encoding.UTF8, "utf-8", 3);
        if (b.StartsWith((byte[])[0xFF, 0xFE, 0, 0])) return (new UTF32Encoding(false, false), "utf-32le", 4);
        if (b.StartsWith((byte[])[0, 0, 0xFE, 0xFF])) return (new UTF32Encoding(true, false), "utf-32be", 4);
        if (b.StartsWith((byte[])[0xFF, 0xFE])) return (Encoding.Unicode, "utf-16le", 2);
        if (b.StartsWith((byte[])[0xFE, 0xFF])) return (Encoding.BigEndianUnicode, "utf-16be", 2);
        // XML 1.0 Appendix F: without a BOM, "<?" in UTF-16/32 still shows the byte order.
        if (b.StartsWith((byte[])[0x3C, 0, 0, 0])) return (new UTF32Encoding(false, false), "utf-32le", 0);
        if (b.StartsWith((byte[])[0, 0, 0, 0x3C])) return (new UTF32Encoding(true, false), "utf-32be", 0);
        if (b.StartsWith((byte[])[0x3C, 0, 0x3F, 0])) return (Encoding.Unicode, "utf-16le", 0);
        if (b.StartsWith((byte[])[0, 0x3C, 0, 0x3F])) return (Encoding.BigEndianUnicode, "utf-16be", 0);
        return null;
    }

    private static string? DeclaredCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 1024)]);
        var m = XmlDeclaration().Match(head);
        if (m.Success) return m.Groups[1].Value.ToLowerInvariant();
        m = MetaCharset().Match(head);
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
    }

    public static string? HttpCharset(string? contentType)
    {
        if (contentType is null) return null;
        var m = CharsetParameter().Match(contentType);
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Encoding?> StrictEncodings = new(StringComparer.Ordinal);

    /// <summary>A decoder that throws on bytes the encoding cannot have produced (cached per label).</summary>
    private static Encoding? Strict(string label) => StrictEncodings.GetOrAdd(label, CreateStrict);

    private static Encoding? CreateStrict(string label)
    {
        var name = label switch
        {
            // WHATWG Encoding: ISO-8859-1 labels decode as windows-1252; GB2312 as its superset GB18030.
            "iso-8859-1" or "latin1" or "iso8859-1" or "l1" or "iso_8859-1" => "windows-1252",
            "gb2312" or "gbk" => "gb18030",
            "utf-16" or "utf-32" => null, // without a BOM these cannot be right here
            _ => label,
        };
        if (name is null) return null;
        if (name is "utf-8" or "utf8") return new UTF8Encoding(false, true); // strict, and on the vectorised path
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string ReportedName(string label, Encoding encoding) => label switch
    {
        "iso-8859-1" or "latin1" or "iso8859-1" or "l1" or "iso_8859-1" => "iso-8859-1",
        "gb2312" or "gbk" => "gb18030",
        _ => encoding.WebName,
    };

    [GeneratedRegex("""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    [GeneratedRegex("""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetParameter();
}
