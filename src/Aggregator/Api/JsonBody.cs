using System.Text.Json;

namespace Aggregator.Api;

/// <summary>
/// The small JSON object body of an operator route, read once, with clear 400s for anything
/// malformed; a query parameter of the same name takes precedence over the body's field.
/// </summary>
internal sealed class JsonBody
{
    private const int MaxBytes = 16 * 1024;
    private readonly Dictionary<string, JsonElement> _fields;
    private readonly IQueryCollection _query;

    private JsonBody(Dictionary<string, JsonElement> fields, IQueryCollection query) => (_fields, _query) = (fields, query);

    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancel)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (request.ContentLength == 0) return new JsonBody(fields, request.Query);
        if (request.ContentLength > MaxBytes) throw new BadParameterException("body", "request body too large");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancel);
        if (buffer.Length > MaxBytes) throw new BadParameterException("body", "request body too large");
        if (buffer.Length == 0) return new JsonBody(fields, request.Query);
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new BadParameterException("body", "the body must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject()) fields[property.Name] = property.Value.Clone();
        }
        catch (JsonException e)
        {
            throw new BadParameterException("body", $"the body is not valid JSON: {e.Message}");
        }
        return new JsonBody(fields, request.Query);
    }

    /// <summary>The string field (or query parameter) <paramref name="name"/>; null when absent; a 400 when it is not a string.</summary>
    public string? String(string name)
    {
        if (_query[name].FirstOrDefault() is { } fromQuery) return fromQuery;
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BadParameterException(name, $"\"{name}\" must be a string");
    }
}
