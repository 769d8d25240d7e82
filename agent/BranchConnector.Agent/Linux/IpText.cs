using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BranchConnector.Agent.Linux;

/// <summary>
/// The one IP text helper. Reading: strict literals only — IPAddress.TryParse alone accepts inet_aton forms
/// ("10.1", "010.0.0.1" read as octal, "4294967295") that would mean something other than what the hub
/// wrote, so IPv4 is exactly four decimal octets without leading zeros and IPv6 a literal without a zone.
/// Writing: canonical text, so desired state and `ip -j` output compare as strings (IPv6 compressed lower
/// case, always an explicit "/len").
/// </summary>
public static class IpText
{
    public static IpFamily FamilyOf(string addressOrCidr) =>
        ParseAddress(addressOrCidr.Split('/')[0]).AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;

    public static int HostLength(IpFamily family) => family == IpFamily.V6 ? 128 : 32;

    /// <summary>"2001:DB8::0001" → "2001:db8::1".</summary>
    public static string Address(string text) => ParseAddress(text).ToString();

    /// <summary>An interface address keeps its host bits: "192.168.10.1/24"; no "/len" means a host address.</summary>
    public static string InterfaceCidr(string text)
    {
        var (address, length) = Split(text);
        return $"{address}/{length.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A route destination with host bits cleared: "10.1.2.3/16" → "10.1.0.0/16", "default" → "0.0.0.0/0" or "::/0".</summary>
    public static string Network(string text, IpFamily familyOfDefault = IpFamily.V4)
    {
        if (text == "default") return familyOfDefault == IpFamily.V6 ? "::/0" : "0.0.0.0/0";
        var (address, length) = Split(text);
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return $"{new IPAddress(bytes)}/{length.ToString(CultureInfo.InvariantCulture)}";
    }

    private static (IPAddress Address, int Length) Split(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = ParseAddress(slash < 0 ? text : text[..slash]);
        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0) return (address, max);
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > max)
            throw new FormatException($"bad prefix length in \"{text}\"");
        return (address, length);
    }

    private static IPAddress ParseAddress(string text) =>
        !text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address)
            ? address
            : throw new FormatException($"not an IP address: \"{text}\"");

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
