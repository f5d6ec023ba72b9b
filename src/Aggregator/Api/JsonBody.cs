using System.Text.Json;

namespace Aggregator.Api;

/// <summary>Small JSON request bodies of operator routes, read with clear 400s for anything malformed.</summary>
internal static class JsonBody
{
    private const int MaxBytes = 16 * 1024;

    /// <summary>The string property <paramref name="name"/> of a JSON object body, else the query parameter of that name; null when neither is given.</summary>
    public static async Task<string?> StringAsync(HttpRequest request, string name, CancellationToken cancel)
    {
        string? value = request.Query[name];
        if (value is not null || request.ContentLength == 0) return value;
        if (request.ContentLength > MaxBytes) throw new BadParameterException(name, "request body too large");
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancel);
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String)
                throw new BadParameterException(name, $"the body must be a JSON object with a string \"{name}\"");
            return property.GetString();
        }
        catch (JsonException e)
        {
            if (request.ContentLength is null && e.BytePositionInLine == 0 && e.LineNumber == 0) return null; // no body at all
            throw new BadParameterException(name, $"the body is not valid JSON: {e.Message}");
        }
    }
}
