using System.Text;
using Aggregator.Core.Storage;

namespace Aggregator.Core.Syndication;

/// <summary>What a regenerated feed says about itself, plus its stories (newest first); <see cref="Now"/> bounds every date written.</summary>
public sealed record SyndicationChannel(
    string Title,
    string Category,
    Uri SiteUrl,
    Uri SelfUrl,
    DateTime Updated,
    IReadOnlyList<StoryRecord> Stories,
    IReadOnlyDictionary<string, string> OutletNames)
{
    /// <summary>When the feed is written: no date in it is later.</summary>
    public DateTime Now { get; init; } = DateTime.MaxValue;

    public Uri StoryPage(StoryRecord story) => new(SiteUrl, $"stories/{story.Id}");

    public string OutletOf(StorySource source) =>
        OutletNames.TryGetValue(source.FeedId, out var name) ? name : source.Title ?? source.FeedId;

    /// <summary>The story body followed by "Also reported by" links to the other outlets.</summary>
    public string ContentHtml(StoryRecord story)
    {
        var html = new StringBuilder(story.Html ?? System.Net.WebUtility.HtmlEncode(story.Summary ?? ""));
        var others = story.Sources.Skip(1).Select(s => (Source: s, Url: Emitted.Url(s.Url))).Where(s => s.Url is not null).ToList();
        if (others.Count > 0)
        {
            html.Append("<p>Also reported by ");
            html.AppendJoin(", ", others.Select(s =>
                $"<a href=\"{System.Net.WebUtility.HtmlEncode(s.Url)}\">{System.Net.WebUtility.HtmlEncode(OutletOf(s.Source))}</a>"));
            html.Append(".</p>");
        }
        return html.ToString();
    }
}

/// <summary>Characters that XML 1.0 forbids are removed before anything is written.</summary>
internal static class XmlSafe
{
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { sb.Append(c).Append(value[++i]); continue; }
            if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) sb.Append(c);
        }
        return sb.ToString();
    }
}
