using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Webhooks;

/// <summary>
/// The signature receivers check, as Miniflux signs its webhooks (HMAC-SHA256 of the raw body with the
/// shared secret, hex), with GitHub's <c>sha256=</c> prefix so the algorithm can change later.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Aggregator-Signature";
    public const string EventIdHeader = "X-Aggregator-Event-Id";
    public const string EventTypeHeader = "X-Aggregator-Event-Type";

    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
