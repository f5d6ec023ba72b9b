using System.Globalization;
using System.Text.Json;

namespace Aggregator.Core.Configuration;

/// <summary>
/// Reads one JSON object field by field, recording typed errors with their JSON path.
/// Every field read is remembered so that <see cref="RejectUnknown"/> can name typos.
/// </summary>
internal sealed class JsonObjectReader(JsonElement element, string path, List<ConfigError> errors)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public string Path => path;

    public static JsonObjectReader? Open(JsonElement element, string path, List<ConfigError> errors)
    {
        if (element.ValueKind == JsonValueKind.Object) return new JsonObjectReader(element, path, errors);
        errors.Add(new ConfigError(path, $"expected an object, found {Describe(element)}"));
        return null;
    }

    public JsonObjectReader? Object(string name)
    {
        var value = Get(name);
        return value is { } v ? Open(v, Child(name), errors) : null;
    }

    public string? String(string name, string? fallback = null, bool required = false)
    {
        var value = Get(name);
        if (value is null)
        {
            if (required) Error(name, "is required");
            return fallback;
        }
        if (value.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.Value.GetString()))
            return value.Value.GetString()!.Trim();
        Error(name, $"expected a non-empty string, found {Describe(value.Value)}");
        return fallback;
    }

    public bool Bool(string name, bool fallback)
    {
        var value = Get(name);
        if (value is null) return fallback;
        if (value.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.Value.GetBoolean();
        Error(name, $"expected true or false, found {Describe(value.Value)}");
        return fallback;
    }

    public long Integer(string name, long fallback, long min, long max)
    {
        var value = Get(name);
        if (value is null) return fallback;
        if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt64(out var n))
        {
            if (n >= min && n <= max) return n;
            Error(name, $"{n} is out of range ({min}..{max})");
            return fallback;
        }
        Error(name, $"expected an integer, found {Describe(value.Value)}");
        return fallback;
    }

    public TimeSpan? Duration(string name, TimeSpan? fallback, TimeSpan min, TimeSpan max)
    {
        var text = String(name);
        if (text is null) return fallback;
        if (!TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"d\.hh\:mm\:ss"], CultureInfo.InvariantCulture, out var span))
        {
            Error(name, $"\"{text}\" is not a duration (use \"hh:mm:ss\" or \"d.hh:mm:ss\")");
            return fallback;
        }
        if (span < min || span > max)
        {
            Error(name, $"\"{text}\" is out of range ({min:c}..{max:c})");
            return fallback;
        }
        return span;
    }

    public Uri? HttpUrl(string name, Uri? fallback = null, bool required = false)
    {
        var text = String(name, required: required);
        if (text is null) return fallback;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        Error(name, $"\"{text}\" is not an absolute http or https URL");
        return fallback;
    }

    public IReadOnlyList<string> StringArray(string name)
    {
        var list = new List<string>();
        foreach (var (item, itemPath) in Array(name))
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                list.Add(item.GetString()!);
            else
                errors.Add(new ConfigError(itemPath, $"expected a non-empty string, found {Describe(item)}"));
        }
        return list;
    }

    public IEnumerable<(JsonElement Item, string Path)> Array(string name)
    {
        var value = Get(name);
        if (value is null) yield break;
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"expected an array, found {Describe(value.Value)}");
            yield break;
        }
        var i = 0;
        foreach (var item in value.Value.EnumerateArray()) yield return (item, $"{Child(name)}[{i++}]");
    }

    /// <summary>Every field of the object (each counts as known): for maps such as <c>http.headers</c>.</summary>
    public IReadOnlyList<string> PropertyNames() => element.EnumerateObject().Select(p => p.Name).ToList();

    public void Error(string name, string message) => errors.Add(new ConfigError(Child(name), message));

    public void RejectUnknown()
    {
        foreach (var property in element.EnumerateObject())
            if (!_known.Contains(property.Name))
                errors.Add(new ConfigError(Child(property.Name), $"unknown field (allowed: {string.Join(", ", _known.Order())})"));
    }

    private JsonElement? Get(string name)
    {
        _known.Add(name);
        return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    private string Child(string name) => $"{path}.{name}";

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
