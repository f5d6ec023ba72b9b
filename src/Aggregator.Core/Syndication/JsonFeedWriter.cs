using System.Text.Json;

namespace Aggregator.Core.Syndication;

/// <summary>JSON Feed 1.1, written with Utf8JsonWriter.</summary>
public static class JsonFeedWriter
{
    public static byte[] Write(SyndicationChannel channel)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("version", "https://jsonfeed.org/version/1.1");
            w.WriteString("title", channel.Title);
            w.WriteString("home_page_url", channel.SiteUrl.ToString());
            w.WriteString("feed_url", channel.SelfUrl.ToString());
            w.WriteStartArray("items");
            foreach (var story in channel.Stories) WriteItem(w, channel, story);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteItem(Utf8JsonWriter w, SyndicationChannel channel, Storage.StoryRecord story)
    {
        w.WriteStartObject();
        w.WriteString("id", $"urn:aggregator:story:{story.Id}");
        w.WriteString("url", Emitted.Url(story.Url) ?? channel.StoryPage(story).ToString());
        w.WriteString("title", story.Title);
        w.WriteString("content_html", channel.ContentHtml(story));
        if (story.Text is not null) w.WriteString("content_text", story.Text);
        if (story.Summary is not null) w.WriteString("summary", story.Summary);
        if (Emitted.Url(story.ImageUrl) is { } image) w.WriteString("image", image);
        w.WriteString("date_published", AtomWriter.Rfc3339(Emitted.Time(story.Published, channel.Now)));
        w.WriteString("date_modified", AtomWriter.Rfc3339(Emitted.Time(story.Updated, channel.Now)));
        if (story.Byline is not null)
        {
            w.WriteStartArray("authors");
            w.WriteStartObject();
            w.WriteString("name", story.Byline);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteStartArray("tags");
        w.WriteStringValue(story.Category);
        w.WriteEndArray();
        if (story.Language is not null) w.WriteString("language", story.Language);
        w.WriteEndObject();
    }
}
