using System.Text.Json;
using System.Text.Unicode;

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
        if (request.ContentLength > MaxBytes) throw TooLarge();
        var bytes = await ReadCappedAsync(request.Body, cancel);
        if (bytes.Length == 0) return new JsonBody(fields, request.Query);
        // JsonDocument checks the structure but not the UTF-8 inside strings: GetString() would throw later.
        if (!Utf8.IsValid(bytes)) throw new BadParameterException("body", "the body is not valid UTF-8");
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new BadParameterException("body", "the body must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject()) fields[property.Name] = property.Value.Clone();
        }
        catch (JsonException e)
        {
            throw new BadParameterException("body", $"the body is not valid JSON: {e.Message}");
        }
        return new JsonBody(fields, request.Query);
    }

    /// <summary>
    /// Reads at most <see cref="MaxBytes"/>: a chunked body (no Content-Length) is refused as soon as
    /// it passes the cap, never buffered whole; a body Kestrel itself refuses is a 413 too, not a 500.
    /// </summary>
    private static async Task<byte[]> ReadCappedAsync(Stream body, CancellationToken cancel)
    {
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancel)) > 0) length += read;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }
        catch (BadHttpRequestException e)
        {
            throw new BadParameterException("body", $"the body could not be read: {e.Message}");
        }
        if (length > MaxBytes) throw TooLarge();
        return buffer[..length];
    }

    private static BadParameterException TooLarge() =>
        new("body", $"request body too large (at most {MaxBytes / 1024} KB)", StatusCodes.Status413PayloadTooLarge);

    /// <summary>The string field (or query parameter) <paramref name="name"/>; null when absent; a 400 when it is not a string.</summary>
    public string? String(string name)
    {
        if (_query[name].FirstOrDefault() is { } fromQuery) return fromQuery;
        if (!_fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BadParameterException(name, $"\"{name}\" must be a string");
    }
}
