using System.Net;
using System.Net.Sockets;

namespace Aggregator.Hosting;

/// <summary>
/// Before the host starts: is every port we are told to listen on free? A busy port is then one
/// line and exit 2 instead of the host's logged stack trace. (Kestrel still reports the rare race.)
/// </summary>
internal static class ListenCheck
{
    /// <summary>The first address in <paramref name="urls"/> that something else already listens on, or null.</summary>
    public static string? FirstBusy(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Port == 0) continue;
            foreach (var address in Addresses(uri.Host))
                if (InUse(new IPEndPoint(address, uri.Port))) return url;
        }
        return null;
    }

    private static IEnumerable<IPAddress> Addresses(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? [ip] : []; // a host name: Kestrel binds every address, let it say
    }

    private static bool InUse(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(endpoint);
            return false;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.AddressAlreadyInUse; // no IPv6 here, or not our address: not our question
        }
    }
}
