using System.Globalization;
using System.Net;
using CsCheck;

namespace BranchConnector.Tests.Properties;

/// <summary>Generators shared by the property tests: addresses, prefixes, keys, names.</summary>
internal static class Gens
{
    public static readonly Gen<IPAddress> V4 = Gen.Byte.Array[4].Select(b => new IPAddress(b));
    public static readonly Gen<IPAddress> V6 = Gen.Byte.Array[16].Select(b => new IPAddress(b))
        .Where(a => !a.IsIPv4MappedToIPv6 && !a.ToString().Contains('.', StringComparison.Ordinal)); // ::a.b.c.d forms print dotted
    public static readonly Gen<IPAddress> Address = Gen.Frequency((3, V4), (1, V6));

    /// <summary>"ip/len" with host bits as generated (an interface address).</summary>
    public static readonly Gen<string> InterfaceCidr = Address.SelectMany(a =>
        Gen.Int[0, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128].Select(l => $"{a}/{l.ToString(CultureInfo.InvariantCulture)}"));

    public static Gen<string> Prefix(Gen<IPAddress> address) => address.SelectMany(a =>
        Gen.Int[0, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128].Select(l => FakeKernel.Addr.Network($"{a}/{l.ToString(CultureInfo.InvariantCulture)}")));

    public static readonly Gen<string> WgKey = Gen.Byte.Array[32].Select(Convert.ToBase64String);

    public static readonly Gen<string> IfName = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."].Array[1, 14].Select(c => "x" + new string(c)[..Math.Min(c.Length, 14)]);

    public static readonly Gen<string> HexKey = Gen.Byte.Array[36].Select(b => Convert.ToHexStringLower(b));
}
