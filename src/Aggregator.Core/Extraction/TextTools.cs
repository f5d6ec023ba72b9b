using System.Text;

namespace Aggregator.Core.Extraction;

/// <summary>Whitespace and word helpers shared by the extraction steps.</summary>
internal static class TextTools
{
    public static readonly char[] WordSeparators = [' ', '\n', '\r', '\t', '\u00A0', ',', '.', ':', ';', '!', '?', '"', '\'', '(', ')', '“', '”', '‘', '’', '-', '—', '–'];

    /// <summary>
    /// Collapses runs of whitespace (including non-breaking spaces) into one space, drops the invisible
    /// hyphenation and width hints (soft hyphen, zero-width space, BOM) that hyphenation plugins sprinkle
    /// through words, and composes the text (NFC), so the plain text reads and matches as it displays.
    /// An unpaired surrogate (text handed in as a string rather than decoded from bytes) becomes U+FFFD,
    /// as a decoder makes it, instead of making the composition throw.
    /// </summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    if (space) sb.Append(' ');
                    space = false;
                    sb.Append(c).Append(text[++i]);
                    continue;
                }
                c = '\uFFFD';
            }
            if (char.IsWhiteSpace(c) || c == '\u00A0')
            {
                space = sb.Length > 0;
                continue;
            }
            if (c is '\u00AD' or '\u200B' or '\uFEFF') continue;
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        var result = sb.ToString();
        return result.IsNormalized(NormalizationForm.FormC) ? result : result.Normalize(NormalizationForm.FormC);
    }

    public static int CountWords(string text) => text.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries).Length;
}
