using System.Text.RegularExpressions;

namespace Aggregator.Core.Configuration;

/// <summary>A <c>stripText</c> entry: a plain phrase, or a regular expression written as <c>/pattern/</c>.</summary>
public static class TextPattern
{
    public static bool IsRegex(string pattern) => pattern.Length > 2 && pattern[0] == '/' && pattern[^1] == '/';

    /// <summary>Compiles a /regex/ entry case-insensitively, with a match timeout (patterns come from operators, text from the web).</summary>
    public static Regex Compile(string pattern) =>
        new(pattern[1..^1], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
