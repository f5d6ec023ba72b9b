using System.Globalization;
using System.Text;

namespace Aggregator.Api;

/// <summary>Strict parsing of query parameters: anything malformed is a <see cref="BadParameterException"/>.</summary>
internal static class QueryParameters
{
    public static int Limit(string? value, int fallback, int max)
    {
        if (value is null) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max) return n;
        throw new BadParameterException("limit", $"must be an integer from 1 to {max}, got \"{value}\"");
    }

    public static DateTime? Time(string name, string? value)
    {
        if (value is null) return null;
        return Rfc3339.TryParse(value) ?? throw new BadParameterException(name, $"must be an RFC 3339 time such as 2026-01-31T12:00:00Z (or a date, 2026-01-31), got \"{value}\"");
    }

    public static string? Text(string name, string? value, int maxLength)
    {
        if (value is null) return null;
        value = value.Trim();
        if (value.Length == 0) throw new BadParameterException(name, "must not be empty");
        if (value.Length > maxLength) throw new BadParameterException(name, $"must be at most {maxLength} characters");
        return value;
    }

    /// <summary>Cursors are opaque to clients: base64url of the last story's sort key.</summary>
    public static string EncodeCursor(string sortKey) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(sortKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? DecodeCursor(string? value)
    {
        if (value is null) return null;
        try
        {
            var base64 = value.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var key = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            if (key.Length == 35 && key[..19].All(char.IsAsciiDigit) && key[19..].All(char.IsAsciiHexDigitLower)) return key;
        }
        catch (FormatException)
        {
        }
        throw new BadParameterException("cursor", "is not a cursor returned by this API (use nextCursor as given)");
    }
}
