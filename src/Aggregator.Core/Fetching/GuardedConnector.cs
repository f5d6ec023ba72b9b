using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Aggregator.Core.Fetching;

/// <summary>Thrown from the connect callback when the address actually resolved is not allowed.</summary>
public sealed class BlockedAddressException(string host, IPAddress address)
    : IOException($"fetch: {host} resolves to {address}, a private or reserved address (set http.allowPrivateNetworks to allow)")
{
    public IPAddress Address { get; } = address;
}

/// <summary>
/// Builds the primary handler: no automatic redirects (we follow them by hand), decompression on,
/// and a connect callback that checks the address actually connected to, so a host name that
/// resolves to a private address (DNS rebinding included) is refused too.
/// </summary>
public static class GuardedConnector
{
    public static SocketsHttpHandler CreateHandler(Configuration.HttpOptions options) => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxResponseHeadersLength = 64,
        MaxConnectionsPerServer = options.MaxConnectionsPerHost,
        ConnectCallback = (context, token) => ConnectAsync(context.DnsEndPoint, options, token),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, Configuration.HttpOptions options, CancellationToken token)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, token).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            if (!options.Allows(address))
            {
                last = new BlockedAddressException(endPoint.Host, address);
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                last = e;
                if (e is OperationCanceledException) throw;
            }
        }
        throw last ?? new IOException($"fetch: {endPoint.Host} has no address");
    }
}
