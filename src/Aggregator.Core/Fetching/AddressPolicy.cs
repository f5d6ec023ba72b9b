using System.Net;
using System.Net.Sockets;

namespace Aggregator.Core.Fetching;

/// <summary>
/// Which IP addresses a fetch may connect to. Everything that is not public unicast is refused
/// (SSRF): loopback, private, link-local, CGNAT, multicast, reserved, and IPv6 forms of them.
/// </summary>
public static class AddressPolicy
{
    public static bool IsBlocked(IPAddress address, bool allowLoopback = false)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (allowLoopback && IPAddress.IsLoopback(address)) return false;
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsBlockedV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsBlockedV6(address),
            _ => true,
        };
    }

    private static bool IsBlockedV4(byte[] b) =>
        b[0] == 0                                   // 0.0.0.0/8 "this network"
        || b[0] == 10                               // 10/8 private
        || b[0] == 127                              // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)     // 100.64/10 CGNAT
        || (b[0] == 169 && b[1] == 254)             // link-local, cloud metadata
        || (b[0] == 172 && (b[1] & 0xF0) == 16)     // 172.16/12 private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // 192.0.0/24 IETF
        || (b[0] == 192 && b[1] == 168)             // 192.168/16 private
        || (b[0] == 198 && (b[1] & 0xFE) == 18)     // 198.18/15 benchmarking
        || b[0] >= 224;                             // multicast, reserved, broadcast

    private static bool IsBlockedV6(IPAddress address)
    {
        if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6None.Equals(address)) return true;
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return true;
        var b = address.GetAddressBytes();
        if ((b[0] & 0xFE) == 0xFC) return true;                          // fc00::/7 unique local
        if (b[0] == 0x20 && b[1] == 0x02) return IsBlockedV4(b[2..6]);  // 6to4 embeds an IPv4 address
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)  // 64:ff9b::/96 NAT64
            return IsBlockedV4(b[12..16]);
        return b.Take(12).All(x => x == 0);                              // ::/96 IPv4-compatible, unspecified
    }
}
