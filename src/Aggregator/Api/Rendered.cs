using System.Globalization;
using System.Security.Cryptography;

namespace Aggregator.Api;

/// <summary>
/// A response rendered once and sent as it is until the data behind it changes: the bytes with
/// their validators, computed at render time, so that a request costs a header check and a write.
/// </summary>
public sealed class Rendered
{
    public Rendered(byte[] body, string contentType, DateTime? lastModified = null)
    {
        Body = body;
        ContentType = contentType;
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
        if (lastModified is { } time)
        {
            // HTTP dates have whole seconds (RFC 9110 §5.6.7): compare at that precision.
            LastModified = new DateTime(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            LastModifiedText = LastModified.Value.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    public byte[] Body { get; }
    public string ContentType { get; }
    /// <summary>Strong: the first 128 bits of the body's SHA-256, quoted.</summary>
    public string ETag { get; }
    /// <summary>None for outputs whose bytes change without their data changing (relative times on the front page).</summary>
    public DateTime? LastModified { get; }
    public string? LastModifiedText { get; }
}
