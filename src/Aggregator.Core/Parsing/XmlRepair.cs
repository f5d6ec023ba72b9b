using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Makes the XML that real feeds send well-formed enough to parse, safely: undeclared HTML entities
/// become character references, stray '&amp;' are escaped, characters illegal in XML are dropped, and
/// the DOCTYPE is removed (no external entities, no expansion bombs); simple internal entities
/// declared in it are substituted once, never recursively.
/// </summary>
public static partial class XmlRepair
{
    private const int MaxEntityValueLength = 1024;
    private static readonly HashSet<string> XmlEntities = ["amp", "lt", "gt", "quot", "apos"];

    // Characters that need a look: markup starts, references, and everything XML 1.0 may forbid.
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(
        "&<\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF"
        + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    // Characters XML 1.0 forbids, less the surrogates (checked by range): when a document has none of
    // them, which is nearly always, the scan only has to stop at '&' and '<' and runs vectorised.
    private static readonly System.Buffers.SearchValues<char> Illegal = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    public static string Repair(string text)
    {
        var entities = new Dictionary<string, string>(StringComparer.Ordinal);
        text = RemoveDoctype(text, entities);
        if (text.AsSpan().IndexOfAny(Illegal) < 0 && text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0
            && RepairReferencesOnly(text, entities) is { } repaired)
            return repaired;
        var output = new StringBuilder(text.Length + 64);
        var i = 0;
        while (i < text.Length)
        {
            var next = text.AsSpan(i).IndexOfAny(Special);
            if (next < 0)
            {
                output.Append(text, i, text.Length - i);
                break;
            }
            output.Append(text, i, next);
            i += next;
            var c = text[i];
            if (c == '<')
                i = string.CompareOrdinal(text, i, "<![CDATA[", 0, 9) == 0 ? CopyCData(text, i, output) : Append(output, c, i);
            else if (c == '&')
                i = RepairReference(text, i, output, entities);
            else
                i = CopyChar(text, i, output);
        }
        return output.ToString();
    }

    /// <summary>
    /// The fast path for text without illegal characters: only references can need repair, and the
    /// text is copied only from the first one that does (a clean feed comes back as the same string).
    /// Null sends the rare unterminated CDATA section to the full path.
    /// </summary>
    private static string? RepairReferencesOnly(string text, Dictionary<string, string> entities)
    {
        StringBuilder? output = null;
        var copied = 0;
        var i = 0;
        var cdata = text.IndexOf("<![CDATA[", StringComparison.Ordinal);
        while (true)
        {
            var amp = text.IndexOf('&', i);
            if (amp < 0) break;
            if (cdata >= 0 && cdata < amp)
            {
                // References inside CDATA are text: jump over the section.
                var close = text.IndexOf("]]>", cdata + 9, StringComparison.Ordinal);
                if (close < 0) return null;
                i = close + 3;
                cdata = text.IndexOf("<![CDATA[", i, StringComparison.Ordinal);
                continue;
            }
            i = amp;
            if (VerbatimReferenceLength(text, i) is var keep and > 0)
            {
                i += keep;
                continue;
            }
            output ??= new StringBuilder(text.Length + 64);
            output.Append(text, copied, i - copied);
            i = RepairReference(text, i, output, entities);
            copied = i;
        }
        while (cdata >= 0)
        {
            var end = text.IndexOf("]]>", cdata + 9, StringComparison.Ordinal);
            if (end < 0) return null; // unterminated: the full path closes it
            cdata = text.IndexOf("<![CDATA[", end + 3, StringComparison.Ordinal);
        }
        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The length of a reference that XML accepts as written (the five XML entities, a numeric reference to a legal, non-C1 character), else 0.</summary>
    private static int VerbatimReferenceLength(string text, int i)
    {
        foreach (var known in KnownReferences)
            if (string.CompareOrdinal(text, i, known, 0, known.Length) == 0) return known.Length;
        var (code, length) = NumericReference(text, i);
        if (length == 0 || text[i + 2] == 'X' || // XML allows only a lower-case x; "&#X41;" is rewritten
             code is >= 0x80 and <= 0x9F || code > 0x10FFFF || (code < 0x10000 && !IsXmlChar((char)code))) return 0;
        return length;
    }

    private static int Append(StringBuilder output, char c, int i)
    {
        output.Append(c);
        return i + 1;
    }

    private static string RemoveDoctype(string text, Dictionary<string, string> entities)
    {
        if (text.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) < 0) return text; // the common case, without the regex
        var m = Doctype().Match(text);
        if (!m.Success) return text;
        foreach (Match e in EntityDeclaration().Matches(m.Value))
        {
            var value = e.Groups[2].Success ? e.Groups[2].Value : e.Groups[3].Value;
            if (value.Length <= MaxEntityValueLength && value.IndexOfAny(['&', '%', '<']) < 0)
                entities[e.Groups[1].Value] = value;
        }
        return text.Remove(m.Index, m.Length);
    }

    private static int CopyCData(string text, int start, StringBuilder output)
    {
        var close = text.IndexOf("]]>", start + 9, StringComparison.Ordinal);
        var end = close < 0 ? text.Length : close + 3;
        for (var i = start; i < end;) i = CopyChar(text, i, output);
        if (close < 0) output.Append("]]>");
        return end;
    }

    /// <summary>Copies one character (or surrogate pair) if XML 1.0 allows it; drops it otherwise.</summary>
    private static int CopyChar(string text, int i, StringBuilder output)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            output.Append(c).Append(text[i + 1]);
            return i + 2;
        }
        if (IsXmlChar(c)) output.Append(c);
        return i + 1;
    }

    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);

    private static int RepairReference(string text, int i, StringBuilder output, Dictionary<string, string> entities)
    {
        foreach (var known in KnownReferences)
            if (string.CompareOrdinal(text, i, known, 0, known.Length) == 0)
            {
                output.Append(known);
                return i + known.Length;
            }
        if (NumericReference(text, i) is var (code, length) && length > 0)
        {
            AppendCode(code, output);
            return i + length;
        }
        var m = Reference().Match(text, i);
        if (!m.Success || m.Index != i)
        {
            output.Append("&amp;");
            return i + 1;
        }
        var name = m.Groups[1].Value;
        if (name[0] == '#')
            AppendNumeric(name, output);
        else if (XmlEntities.Contains(name))
            output.Append(m.Value);
        else if (entities.TryGetValue(name, out var declared))
            output.Append(Escape(declared));
        else if (WebUtility.HtmlDecode(m.Value) is var decoded && decoded != m.Value)
            foreach (var rune in decoded.EnumerateRunes()) output.Append("&#").Append(rune.Value).Append(';');
        else
            output.Append("&amp;").Append(m.Value, 1, m.Length - 1);
        return i + m.Length;
    }

    private static readonly string[] KnownReferences = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"];

    /// <summary>"&amp;#39;" or "&amp;#x2019;" read without a regex (they are the common case): the code and the reference's length, or length 0.</summary>
    private static (int Code, int Length) NumericReference(string text, int i)
    {
        if (i + 3 >= text.Length || text[i + 1] != '#') return (0, 0);
        var hex = text[i + 2] is 'x' or 'X';
        var at = i + (hex ? 3 : 2);
        var start = at;
        var code = 0;
        for (; at < text.Length && at - start < (hex ? 6 : 7); at++)
        {
            var digit = text[at] switch
            {
                >= '0' and <= '9' => text[at] - '0',
                >= 'a' and <= 'f' when hex => text[at] - 'a' + 10,
                >= 'A' and <= 'F' when hex => text[at] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) break;
            code = code * (hex ? 16 : 10) + digit;
        }
        return at > start && at < text.Length && text[at] == ';' ? (code, at + 1 - i) : (0, 0);
    }

    /// <summary>Keeps a numeric reference if it names a legal character; windows-1252 C1 codes are remapped as browsers do.</summary>
    private static void AppendNumeric(string name, StringBuilder output)
    {
        var hex = name.Length > 1 && (name[1] == 'x' || name[1] == 'X');
        var digits = name[(hex ? 2 : 1)..];
        if (!int.TryParse(digits, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var code)) return;
        AppendCode(code, output);
    }

    private static void AppendCode(int code, StringBuilder output)
    {
        if (code is >= 0x80 and <= 0x9F)
            code = Encoding.GetEncoding(1252).GetString([(byte)code]) is [var mapped] ? mapped : code;
        if (code > 0x10FFFF || (code < 0x10000 && !IsXmlChar((char)code))) return;
        output.Append("&#").Append(code).Append(';');
    }

    private static string Escape(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    [GeneratedRegex(@"<!DOCTYPE\s[^\[>]*(\[[\s\S]*?\]\s*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    [GeneratedRegex("""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>""")]
    private static partial Regex EntityDeclaration();

    [GeneratedRegex(@"\G&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")]
    private static partial Regex Reference();
}
