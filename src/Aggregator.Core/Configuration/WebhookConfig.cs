using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Aggregator.Core.Storage;

namespace Aggregator.Core.Configuration;

/// <summary>
/// One downstream app to notify: events are POSTed to <see cref="Url"/>, signed with
/// <see cref="Secret"/> (from the file, or read from the environment variable <c>secretEnv</c> names).
/// The secret never appears in logs, ToString or the API.
/// </summary>
public sealed record WebhookConfig(string Id, Uri Url, IReadOnlyList<string> Events, string Secret)
{
    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    public override string ToString() => $"WebhookConfig {{ Id = {Id}, Url = {Url}, Events = [{string.Join(", ", Events)}], Secret = (set, redacted) }}";
}

/// <summary>
/// The outbox that webhooks and <c>/api/stream</c> read: kept <see cref="RetentionDays"/> days and at
/// most <see cref="MaxEvents"/> events; at most <see cref="MaxStreams"/> streams at once, each sent a
/// comment every <see cref="Heartbeat"/> while idle.
/// </summary>
public sealed record EventOptions(int RetentionDays, int MaxEvents, int MaxStreams, TimeSpan Heartbeat)
{
    public static EventOptions Default { get; } = new(7, 100_000, 32, TimeSpan.FromSeconds(15));
}

/// <summary>Reads <c>webhooks</c> and <c>events</c> of feeds.json, every problem with its JSON path.</summary>
internal static partial class WebhookConfigReader
{
    public const int MinSecretLength = 16;

    public static IReadOnlyList<WebhookConfig> ReadWebhooks(JsonObjectReader root, HttpOptions http, List<ConfigError> errors)
    {
        var hooks = new List<WebhookConfig>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (element, path) in root.Array("webhooks"))
        {
            if (JsonObjectReader.Open(element, path, errors) is not { } o) continue;
            if (Read(o, http, errors) is not { } hook) continue;
            if (seen.TryGetValue(hook.Id, out var first))
            {
                errors.Add(new ConfigError($"{path}.id", $"duplicate webhook id \"{hook.Id}\" (first used at {first}); give each hook its own id"));
                continue;
            }
            seen[hook.Id] = path;
            hooks.Add(hook);
        }
        return hooks;
    }

    private static WebhookConfig? Read(JsonObjectReader o, HttpOptions http, List<ConfigError> errors)
    {
        var url = o.HttpUrl("url", required: true);
        if (url is not null && AddressProblem(url, http) is { } problem) o.Error("url", problem);
        var id = o.String("id");
        if (id is not null && !IdPattern().IsMatch(id))
            o.Error("id", $"\"{id}\" must be 1-64 characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
        var events = ReadEvents(o, errors);
        var secret = ReadSecret(o);
        o.RejectUnknown();
        if (url is null || secret is null || events is null) return null;
        return new WebhookConfig(id ?? DefaultId(url), url, events, secret);
    }

    private static List<string>? ReadEvents(JsonObjectReader o, List<ConfigError> errors)
    {
        var before = errors.Count;
        var events = o.StringArray("events").Select(e => e.Trim()).ToList();
        for (var i = 0; i < events.Count; i++)
            if (!OutboxEventTypes.All.Contains(events[i]))
                errors.Add(new ConfigError($"{o.Path}.events[{i}]", $"\"{events[i]}\" is not an event (allowed: {string.Join(", ", OutboxEventTypes.All)})"));
        if (errors.Count > before) return null;
        return events.Count == 0 ? [.. OutboxEventTypes.All] : events.Distinct().ToList();
    }

    /// <summary><c>secret</c> in the file, or <c>secretEnv</c>: the name of an environment variable holding it (so the file can be shared).</summary>
    private static string? ReadSecret(JsonObjectReader o)
    {
        var literal = o.String("secret");
        var variable = o.String("secretEnv");
        if (literal is not null && variable is not null)
        {
            o.Error("secretEnv", "give either secret or secretEnv, not both");
            return null;
        }
        if (literal is null && variable is null)
        {
            o.Error("secret", $"is required (at least {MinSecretLength} characters; or secretEnv, the name of an environment variable holding it): receivers check the signature with it");
            return null;
        }
        var secret = literal ?? Environment.GetEnvironmentVariable(variable!);
        var field = literal is null ? "secretEnv" : "secret";
        if (string.IsNullOrEmpty(secret))
            o.Error(field, $"the environment variable {variable} is not set");
        else if (secret.Length < MinSecretLength)
            o.Error(field, $"must be at least {MinSecretLength} characters{(literal is null ? $" (the value of {variable})" : "")}");
        else
            return secret;
        return null;
    }

    /// <summary>A target written as an IP address is checked now; a host name is checked when connecting, as feeds are.</summary>
    private static string? AddressProblem(Uri url, HttpOptions http) =>
        System.Net.IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && !http.Allows(address)
            ? $"{address} is a private or reserved address (set http.allowPrivateNetworks, or http.allowLoopback for 127.0.0.1, to allow)"
            : null;

    /// <summary>Without an id, the hook is known by its URL's hash: stable when hooks are reordered.</summary>
    private static string DefaultId(Uri url) => "hook-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.ToString())))[..12];

    public static EventOptions ReadEventOptions(JsonObjectReader? o)
    {
        var d = EventOptions.Default;
        if (o is null) return d;
        var options = new EventOptions(
            (int)o.Integer("retentionDays", d.RetentionDays, 1, 3650),
            (int)o.Integer("maxEvents", d.MaxEvents, 100, 10_000_000),
            (int)o.Integer("maxStreams", d.MaxStreams, 1, 1000),
            o.Duration("heartbeat", d.Heartbeat, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5))!.Value);
        o.RejectUnknown();
        return options;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
