using System.Net;
using System.Net.Sockets;

namespace BranchConnector.Agent.Protocol.Values;

public enum IpFamily { Any, IPv4 }

/// <summary>
/// Strict literal IP addresses. IPAddress.TryParse alone accepts inet_aton forms ("10.1", "010.0.0.1" read as
/// octal, "4294967295"), which would mean something other than what the hub wrote; here IPv4 is exactly
/// four decimal octets without leading zeros, and IPv6 is a literal without a zone.
/// </summary>
public static class IpText
{
    public static bool TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal) || text.Any(c => !Uri.IsHexDigit(c) && c is not ':' and not '.')) return false;
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = v6;
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || part.Any(c => c is < '0' or > '9') || (part.Length > 1 && part[0] == '0')) return false;
            var octet = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (octet > 255) return false;
            bytes[i] = (byte)octet;
        }
        address = new IPAddress(bytes);
        return true;
    }

    public static bool IsIPv4(this IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;

    public static string FamilyName(this IPAddress address) => address.IsIPv4() ? "IPv4" : "IPv6";
}
