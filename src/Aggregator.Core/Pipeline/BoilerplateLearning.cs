using Aggregator.Core.Storage;

namespace Aggregator.Core.Pipeline;

/// <summary>
/// Learning a site's boilerplate, as a pure step over its profile: the article's short paragraphs
/// join the profile (the same URL again replaces its entry), only the last <c>window</c> articles
/// are kept, and the learned lines are those in at least <c>minArticles</c> of them.
/// </summary>
public static class BoilerplateLearning
{
    /// <summary>Updates <paramref name="profile"/>; returns the lines learned now that were not before.</summary>
    public static IReadOnlyList<LearnedLineRecord> Record(SiteProfileRecord profile, string url, IReadOnlyList<(long Fingerprint, string Text)> paragraphs,
        DateTime now, int window, int minArticles)
    {
        profile.Recent.RemoveAll(a => a.Url == url);
        profile.Recent.Add(new SiteArticleRecord { Url = url, Paragraphs = paragraphs.Select(p => p.Fingerprint).ToList(), Seen = now });
        if (profile.Recent.Count > window) profile.Recent.RemoveRange(0, profile.Recent.Count - window);
        var counts = profile.Recent.SelectMany(a => a.Paragraphs.Distinct()).GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        var known = profile.Learned.ToDictionary(l => l.Fingerprint);
        var texts = paragraphs.GroupBy(p => p.Fingerprint).ToDictionary(g => g.Key, g => g.First().Text);
        var learned = counts.Where(c => c.Value >= minArticles)
            .Select(c => known.TryGetValue(c.Key, out var line) ? line : texts.TryGetValue(c.Key, out var text) ? new LearnedLineRecord { Fingerprint = c.Key, Text = text, Since = now } : null)
            .OfType<LearnedLineRecord>().ToList();
        foreach (var line in learned) line.Articles = counts[line.Fingerprint];
        var added = learned.Where(l => !known.ContainsKey(l.Fingerprint)).ToList();
        profile.Learned = learned;
        profile.Updated = now;
        return added;
    }
}
