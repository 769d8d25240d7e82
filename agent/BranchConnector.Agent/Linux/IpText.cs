using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BranchConnector.Agent.Linux;

/// <summary>
/// Canonical text for addresses and prefixes, so desired state and `ip -j` output compare as strings:
/// IPv6 compressed lower case, always an explicit "/len".
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
}
