using System.Globalization;
using System.Text;

namespace Aggregator.Core.Storage;

/// <summary>
/// What <c>q</c> matches, the same for every store: a story's terms are the words of its title and
/// of its text, each field on its own (a word never spans them). Text is folded first: Unicode
/// compatibility decomposition (NFKD: ligatures, full-width forms), diacritics dropped, lower case,
/// and a few letters that do not decompose spelt out (ß → ss, æ → ae, ø → o, ł → l …). A word is a
/// run of letters and digits; anything else separates words (so <c>e-mail</c> is <c>e</c>, <c>mail</c>).
/// A CJK ideograph or kana is a term of its own, as those scripts do not space their words. Terms are
/// cut at <see cref="MaxTermLength"/> characters, and a story keeps its first <see cref="MaxTermsPerStory"/>
/// distinct terms (title first).
/// </summary>
public static class SearchTerms
{
    public const int MaxTermLength = 32;
    public const int MaxTermsPerStory = 8_000;

    /// <summary>The distinct terms of a story, title first, at most <see cref="MaxTermsPerStory"/>.</summary>
    public static IReadOnlyList<string> Of(string? title, string? text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var terms = new List<string>();
        bool Add(string term)
        {
            if (seen.Add(term)) terms.Add(term);
            return terms.Count < MaxTermsPerStory;
        }
        if (Tokenize(title, Add)) Tokenize(text, Add);
        return terms;
    }

    /// <summary>The words of <paramref name="text"/> as terms, in order (repeats kept).</summary>
    public static IReadOnlyList<string> Words(string? text)
    {
        var words = new List<string>();
        Tokenize(text, w => { words.Add(w); return true; });
        return words;
    }

    /// <summary>
    /// Calls <paramref name="emit"/> with each term in order until it returns false; returns false if it
    /// was stopped. Each field is folded and split on its own.
    /// </summary>
    private static bool Tokenize(string? value, Func<string, bool> emit)
    {
        if (string.IsNullOrEmpty(value)) return true;
        var folded = value.IsNormalized(NormalizationForm.FormKD) ? value : value.Normalize(NormalizationForm.FormKD);
        var term = new char[MaxTermLength];
        var length = 0;
        bool Flush()
        {
            if (length == 0) return true;
            var word = new string(term, 0, length);
            length = 0;
            return emit(word);
        }
        foreach (var rune in folded.EnumerateRunes())
        {
            if (IsIdeographic(rune))
            {
                if (!Flush() || !emit(rune.ToString())) return false;
                continue;
            }
            var category = Rune.GetUnicodeCategory(rune);
            // After decomposition a diacritic is a mark of its own: dropped, inside the word.
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) continue;
            if (!Rune.IsLetterOrDigit(rune) && category != UnicodeCategory.SpacingCombiningMark)
            {
                if (!Flush()) return false;
                continue;
            }
            Append(Rune.ToLowerInvariant(rune), term, ref length);
        }
        return Flush();
    }

    /// <summary>Adds a folded letter to the term, unless the term is already <see cref="MaxTermLength"/> long (never half a surrogate pair).</summary>
    private static void Append(Rune rune, Span<char> term, ref int length)
    {
        var spelt = rune.Value switch
        {
            'ß' => "ss", 'æ' => "ae", 'œ' => "oe", 'ø' => "o", 'đ' => "d", 'ð' => "d", 'ł' => "l", 'ı' => "i", 'þ' => "th", 'ħ' => "h",
            _ => null,
        };
        if (spelt is not null)
        {
            foreach (var c in spelt)
                if (length < term.Length) term[length++] = c;
            return;
        }
        if (length + rune.Utf16SequenceLength > term.Length) return;
        length += rune.EncodeToUtf16(term[length..]);
    }

    /// <summary>Han ideographs (all blocks), hiragana and katakana: scripts written without spaces between words.</summary>
    public static bool IsIdeographic(Rune rune) => rune.Value switch
    {
        >= 0x3040 and <= 0x30FF => true, // hiragana, katakana
        >= 0x31F0 and <= 0x31FF => true, // katakana phonetic extensions
        >= 0x3400 and <= 0x4DBF => true, // CJK extension A
        >= 0x4E00 and <= 0x9FFF => true, // CJK unified ideographs
        >= 0xF900 and <= 0xFAFF => true, // CJK compatibility ideographs
        >= 0x20000 and <= 0x3134F => true, // CJK extensions B–G, compatibility supplement
        0x3005 or 0x3006 or 0x3007 => true, // 々 〆 〇
        _ => false,
    };
}

/// <summary>
/// A parsed <c>q</c>: a story matches when it has every one of <see cref="Terms"/> and a term that
/// starts with <see cref="Prefix"/>, the query's last word (so <c>harb</c> finds <c>harbour</c>, and
/// a query can be typed as it is read). No words at all (only punctuation) matches nothing.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<string> Terms, string? Prefix)
{
    public bool IsEmpty => Prefix is null;

    public static SearchQuery Parse(string? q)
    {
        var words = SearchTerms.Words(q);
        if (words.Count == 0) return new SearchQuery([], null);
        var prefix = words[^1];
        var terms = words.Take(words.Count - 1).Distinct(StringComparer.Ordinal).ToList();
        return new SearchQuery(terms, prefix);
    }
}
