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
    /// </summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
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
