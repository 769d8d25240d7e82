using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>The kernel's view of addresses, written independently of the agent's IpText so a canonicalisation bug on either side shows.</summary>
internal static class Addr
{
    public static IpFamily Family(string text)
    {
        var address = Parse(text.Split('/')[0]);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;
    }

    public static IPAddress Parse(string text) =>
        IPAddress.TryParse(text, out var a) && !text.Contains('%', StringComparison.Ordinal) ? a : throw new KernelError($"Error: any valid prefix is expected rather than \"{text}\".");

    /// <summary>"10.1.2.3/16" → (10.1.2.3, 16); no length: a host prefix.</summary>
    public static (IPAddress Address, int Length) Split(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = Parse(slash < 0 ? text : text[..slash]);
        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0) return (address, max);
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > max)
            throw new KernelError($"Error: an inet prefix is expected rather than \"{text}\".");
        return (address, length);
    }

    /// <summary>Destination of a route or selector: host bits cleared.</summary>
    public static string Network(string text)
    {
        var (address, length) = Split(text);
        return $"{Mask(address, length)}/{length.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>An interface address keeps its host bits.</summary>
    public static string Interface(string text)
    {
        var (address, length) = Split(text);
        return $"{address}/{length.ToString(CultureInfo.InvariantCulture)}";
    }

    public static bool Contains(string network, IPAddress address)
    {
        var (net, length) = Split(network);
        return net.AddressFamily == address.AddressFamily && Mask(net, length).Equals(Mask(address, length));
    }

    public static int HostLength(IpFamily family) => family == IpFamily.V6 ? 128 : 32;

    private static IPAddress Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPAddress(bytes);
    }
}

/// <summary>A refused kernel operation; the message is what the tool prints on stderr.</summary>
public sealed class KernelError(string message) : Exception(message);
