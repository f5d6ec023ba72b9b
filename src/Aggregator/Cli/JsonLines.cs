using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Aggregator.Cli;

/// <summary>JSON Lines output for <c>parse</c> and <c>extract</c>, and the <c>--batch</c> list reader.</summary>
internal static class JsonLines
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new UtcDateConverter() },
        TypeInfoResolver = CliJsonContext.Default,
    };

    /// <summary>One object with "file" first, then the value's properties.</summary>
    public static string Line(string file, object value)
    {
        var line = new JsonObject { ["file"] = file };
        foreach (var (key, node) in JsonSerializer.SerializeToNode(value, Options.GetTypeInfo(value.GetType()))!.AsObject().ToList())
            line[key] = node?.DeepClone();
        return line.ToJsonString(Options);
    }

    public static string Error(string file, string message) =>
        new JsonObject { ["file"] = file, ["error"] = message }.ToJsonString(Options);

    /// <summary>Reads a batch list: one JSON object per line; blank lines skipped.</summary>
    public static IEnumerable<JsonObject> ReadBatch(string path)
    {
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            JsonObject? entry;
            try { entry = JsonNode.Parse(raw) as JsonObject; }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{number}: not a JSON object: {e.Message}"); }
            yield return entry ?? throw new InvalidDataException($"{path}:{number}: not a JSON object");
        }
    }

    public static string? Get(JsonObject entry, string name) =>
        entry.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Times are written as ISO 8601 UTC with 'Z', to the second.</summary>
    private sealed class UtcDateConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>What the CLI prints and reads as JSON, described at compile time (the native-AOT build has no reflection-based JSON).</summary>
[JsonSerializable(typeof(ExtractLine))]
[JsonSerializable(typeof(Aggregator.Core.Parsing.ParsedFeed))]
[JsonSerializable(typeof(Aggregator.Api.SplitDto))]
[JsonSerializable(typeof(List<Aggregator.Api.OperationsApi.SiteDto>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
