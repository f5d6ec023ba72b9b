using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Filtering;

/// <summary>
/// What one field of a filter rule must contain: a <b>phrase</b>, matched as whole words, ignoring
/// case, accents and runs of white space ("quiz" matches "Quiz:" and "Le QUÌZ du jour", not
/// "quizzes"); or a <b>regular expression</b> written <c>/pattern/flags</c> (flags <c>i m s x</c>;
/// case-sensitive without <c>i</c>), run on the original text with a 100 ms match timeout, by the
/// non-backtracking engine unless the pattern needs backtracking (lookarounds, backreferences).
/// </summary>
public abstract record TextMatcher
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Matches <paramref name="text"/>, given also as <see cref="Fold"/>ed once by the caller.</summary>
    public abstract bool IsMatch(string text, string folded);

    /// <summary>A phrase, or <c>/pattern/flags</c>; throws <see cref="ArgumentException"/> with a message for the config error.</summary>
    public static TextMatcher Parse(string pattern)
    {
        if (pattern.Length > 1000) throw new ArgumentException("a filter pattern is at most 1000 characters");
        var close = pattern.LastIndexOf('/');
        if (pattern.Length > 2 && pattern[0] == '/' && close > 0 && pattern[(close + 1)..].All(c => "imsx".Contains(c)))
            return RegexMatcher.Create(pattern[1..close], pattern[(close + 1)..], pattern);
        return new PhraseMatcher(Fold(pattern), pattern);
    }

    /// <summary>Lower case, accents removed (NFD minus combining marks), white space runs made one space, trimmed.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) continue;
            if (char.IsWhiteSpace(c))
            {
                space = folded.Length > 0;
                continue;
            }
            if (space) folded.Append(' ');
            space = false;
            folded.Append(char.ToLowerInvariant(c));
        }
        return folded.ToString();
    }
}

/// <summary>A folded phrase that must appear with word boundaries at both ends (where its ends are letters or digits).</summary>
public sealed record PhraseMatcher(string Folded, string Written) : TextMatcher
{
    public override bool IsMatch(string text, string folded)
    {
        if (Folded.Length == 0) return false;
        for (var at = folded.IndexOf(Folded, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(Folded, at + 1, StringComparison.Ordinal))
        {
            var end = at + Folded.Length;
            var startOk = !char.IsLetterOrDigit(Folded[0]) || at == 0 || !char.IsLetterOrDigit(folded[at - 1]);
            var endOk = !char.IsLetterOrDigit(Folded[^1]) || end == folded.Length || !char.IsLetterOrDigit(folded[end]);
            if (startOk && endOk) return true;
        }
        return false;
    }

    public override string ToString() => $"\"{Written}\"";
}

/// <summary>A compiled /regex/; a match that runs past the timeout counts as no match (the item is not blocked by it).</summary>
public sealed record RegexMatcher(Regex Regex, string Written) : TextMatcher
{
    internal static RegexMatcher Create(string body, string flags, string written)
    {
        var options = RegexOptions.CultureInvariant;
        foreach (var flag in flags)
            options |= flag switch { 'i' => RegexOptions.IgnoreCase, 'm' => RegexOptions.Multiline, 's' => RegexOptions.Singleline, _ => RegexOptions.IgnorePatternWhitespace };
        try
        {
            return new RegexMatcher(new Regex(body, options | RegexOptions.NonBacktracking, MatchTimeout), written);
        }
        catch (NotSupportedException)
        {
            // Lookarounds, backreferences, atomic groups: the backtracking engine, still bounded by the timeout.
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"\"{written}\" is not a valid regular expression: {e.Message}");
        }
        return new RegexMatcher(new Regex(body, options, MatchTimeout), written);
    }

    /// <remarks>
    /// A first match also builds the engine's state and compiles it, which on a busy machine can take
    /// longer than the timeout: a timed-out match is tried once more before it counts as no match.
    /// </remarks>
    public override bool IsMatch(string text, string folded)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return Regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException) when (attempt == 0)
            {
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }

    public override string ToString() => Written;
}
