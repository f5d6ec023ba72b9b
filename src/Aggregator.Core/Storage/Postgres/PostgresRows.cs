using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Npgsql;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// Rows ↔ records: a story, a feed's state and a site profile are stored whole as jsonb (with the
/// columns queries filter on beside them); times in columns are UTC ticks.
/// </summary>
internal static class PostgresRows
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new UtcDateTimeConverter() }, TypeInfoResolver = PostgresJsonContext.Default };

    public static Json ToJson<T>(T record) => new(JsonSerializer.Serialize(record, Info<T>()));

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize(json, Info<T>())!;

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    public static long Ticks(DateTime time) => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks;

    public static DateTime FromTicks(long ticks) => new(ticks, DateTimeKind.Utc);

    public static StoryRecord? GetStory(PostgresSession s, string id, bool forUpdate = false) =>
        s.Rows("SELECT record FROM stories WHERE id = @id" + (forUpdate ? " FOR UPDATE" : ""), r => FromJson<StoryRecord>(r.GetString(0)), ("id", id))
            .FirstOrDefault();

    /// <summary>Inserts a story; <paramref name="row"/>, when given, is its <see cref="StoryRow"/> made before the write's transaction.</summary>
    public static void InsertStory(PostgresSession s, StoryRecord story, (string, object?)[]? row = null) =>
        s.Defer("INSERT INTO stories (id, sort_key, published, category, title, record, terms) VALUES (@id, @sk, @p, @c, @t, @r, array_to_tsvector(@terms))", row ?? StoryRow(story));

    /// <summary>Updates a story's row; its search terms only when <paramref name="textChanged"/> (they come from the title and the text).</summary>
    public static void UpdateStory(PostgresSession s, StoryRecord story, bool textChanged = true) =>
        s.Defer(textChanged
            ? "UPDATE stories SET sort_key = @sk, published = @p, category = @c, title = @t, record = @r, terms = array_to_tsvector(@terms) WHERE id = @id"
            : "UPDATE stories SET sort_key = @sk, published = @p, category = @c, title = @t, record = @r WHERE id = @id",
            textChanged ? StoryRow(story) : StoryRow(story, terms: false));

    /// <summary>
    /// A story's column values. Its JSON and, above all, its search terms (the whole text tokenised) are
    /// the CPU a write spends; made before the transaction, they are not spent while its locks are held.
    /// </summary>
    public static (string, object?)[] StoryRow(StoryRecord story, bool terms = true) =>
        [("id", story.Id), ("sk", story.SortKey), ("p", Ticks(story.Published)), ("c", story.Category), ("t", story.Title), ("r", ToJson(story)),
         .. terms ? [("terms", (object?)PostgresSearch.Terms(story))] : Array.Empty<(string, object?)>()];

    public static StoryRecord ReadStory(NpgsqlDataReader r) => FromJson<StoryRecord>(r.GetString(0));

    /// <summary>Dates round-trip as UTC, as LiteDB's UtcDate gives them back (an unspecified kind is taken as UTC).</summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FromTicks(Ticks(value)).ToString("O", CultureInfo.InvariantCulture));
    }
}

/// <summary>The records kept as jsonb, described at compile time (no reflection-based JSON, so a native-AOT build reads them alike).</summary>
[JsonSerializable(typeof(StoryRecord))]
[JsonSerializable(typeof(FeedStateRecord))]
[JsonSerializable(typeof(SiteProfileRecord))]
[JsonSerializable(typeof(WebhookStateRecord))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
