using System.Text.Json;

namespace Aggregator.Core.Configuration;

/// <summary>
/// <c>feeds[].http</c>: what the feed's own site needs to answer (a user agent, a few headers, basic
/// auth, a cookie). Sent with the feed request and that feed's article pages on the same site
/// (<see cref="Fetching.SiteHost"/>), never to another host. The password comes from the environment
/// variable named in the file; it and the cookie never appear in ToString, logs or the API.
/// </summary>
public sealed record FeedHttpOptions(string? UserAgent, IReadOnlyDictionary<string, string> Headers, BasicAuth? BasicAuth, string? Cookie)
{
    /// <summary>The headers <c>feeds[].http.headers</c> may set: content negotiation and the referrer, nothing that routes, frames or authenticates.</summary>
    public static readonly IReadOnlyList<string> AllowedHeaders = ["Accept", "Accept-Language", "Referer"];

    public override string ToString() =>
        $"FeedHttpOptions {{ UserAgent = {UserAgent ?? "default"}, Headers = [{string.Join(", ", Headers.Keys)}], BasicAuth = {BasicAuth?.ToString() ?? "none"}, Cookie = {(Cookie is null ? "none" : "(set, redacted)")} }}";
}

/// <summary>Basic authentication for a feed's site: the user, and the password read from <see cref="PasswordEnv"/> at load.</summary>
public sealed record BasicAuth(string User, string PasswordEnv, string Password)
{
    public string HeaderValue => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public override string ToString() => $"BasicAuth {{ User = {User}, PasswordEnv = {PasswordEnv}, Password = (redacted) }}";
}

/// <summary>Reads <c>feeds[].http</c>, naming every problem by its JSON path.</summary>
internal static class FeedHttpConfigReader
{
    public static FeedHttpOptions? Read(JsonObjectReader? o, List<ConfigError> errors)
    {
        if (o is null) return null;
        var userAgent = o.String("userAgent");
        if (userAgent is not null && !IsHeaderValue(userAgent)) o.Error("userAgent", "must be printable ASCII on one line");
        var headers = ReadHeaders(o.Object("headers"), errors);
        var basicAuth = ReadBasicAuth(o.Object("basicAuth"));
        var cookie = o.String("cookie");
        if (cookie is not null && !IsHeaderValue(cookie)) o.Error("cookie", "must be printable ASCII on one line (name=value; name2=value2)");
        o.RejectUnknown();
        return new FeedHttpOptions(userAgent, headers, basicAuth, cookie);
    }

    private static Dictionary<string, string> ReadHeaders(JsonObjectReader? o, List<ConfigError> errors)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (o is null) return headers;
        foreach (var name in o.PropertyNames())
        {
            var allowed = FeedHttpOptions.AllowedHeaders.FirstOrDefault(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
            var value = o.String(name);
            if (allowed is null)
                o.Error(name, name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
                    ? $"is not set through headers: use http.basicAuth (password from an environment variable) or http.cookie"
                    : $"is not an allowed header (allowed: {string.Join(", ", FeedHttpOptions.AllowedHeaders)}; Host and hop-by-hop headers never)");
            else if (value is not null && !IsHeaderValue(value)) o.Error(name, "must be printable ASCII on one line");
            else if (value is not null) headers[allowed] = value;
        }
        return headers;
    }

    private static BasicAuth? ReadBasicAuth(JsonObjectReader? o)
    {
        if (o is null) return null;
        var user = o.String("user", required: true);
        if (user is not null && (user.Contains(':') || !IsHeaderValue(user))) o.Error("user", "must be printable ASCII without ':'");
        var variable = o.String("passwordEnv", required: true);
        string? password = null;
        if (variable is not null)
        {
            password = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(password)) o.Error("passwordEnv", $"the environment variable {variable} is not set (the password is read from it, never from the file)");
        }
        o.RejectUnknown();
        return user is null || variable is null || string.IsNullOrEmpty(password) ? null : new BasicAuth(user, variable, password);
    }

    /// <summary>RFC 9110 §5.5 field values, kept to visible ASCII and spaces (no CR/LF: no header injection).</summary>
    private static bool IsHeaderValue(string value) => value.All(c => c is >= ' ' and <= '~');
}
