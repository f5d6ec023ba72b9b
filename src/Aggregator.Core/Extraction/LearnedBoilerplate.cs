using System.Text;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Per-site boilerplate learned from the site's own articles: a short paragraph that appears in at
/// least <see cref="MinArticles"/> of the site's last <see cref="Window"/> articles is furniture
/// (a tip line, a house ad, a standing disclaimer), not story, and is dropped from that site's
/// articles from then on. Paragraphs are compared by a fingerprint of their words (case, spacing
/// and numbers ignored, so "© 2025" and "© 2026" are the same line).
/// </summary>
public static class LearnedBoilerplate
{
    public const int Window = 20;
    public const int MinArticles = 3;
    /// <summary>Longer paragraphs are story text even when a site repeats them (standing background is rare and long).</summary>
    public const int MaxLength = 400;
    public const int MinLength = 12;

    /// <summary>The paragraphs of an article that could be boilerplate: short enough, one fingerprint each.</summary>
    public static IReadOnlyList<(long Fingerprint, string Text)> Candidates(IEnumerable<string> paragraphs) =>
        paragraphs.Where(p => p.Length is >= MinLength and <= MaxLength)
            .Select(p => (Fingerprint(p), p)).DistinctBy(p => p.Item1).ToList();

    public static long Fingerprint(string paragraph)
    {
        var normal = new StringBuilder(paragraph.Length);
        var pending = false;
        foreach (var c in paragraph)
        {
            if (char.IsLetter(c))
            {
                if (pending && normal.Length > 0) normal.Append(' ');
                pending = false;
                normal.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsDigit(c))
            {
                if (normal.Length == 0 || normal[^1] != '0') normal.Append('0');
            }
            else
            {
                pending = true;
            }
        }
        var hash = 14695981039346656037UL;
        foreach (var c in normal.ToString()) hash = (hash ^ c) * 1099511628211UL;
        return (long)hash;
    }

    /// <summary>The site key: the host without <c>www.</c>.</summary>
    public static string? SiteOf(Uri? page) =>
        page is null ? null : page.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? page.Host[4..].ToLowerInvariant() : page.Host.ToLowerInvariant();
}
