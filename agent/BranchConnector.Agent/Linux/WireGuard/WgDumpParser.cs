using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>Parses `wg show IF dump`: a device line (private, public, port, fwmark) then one line per peer.</summary>
public static class WgDumpParser
{
    public static ObservedWgDevice Parse(string interfaceName, string dump)
    {
        var lines = dump.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) throw new FormatException($"wg show {interfaceName} dump printed nothing");
        var head = lines[0].Split('\t');
        if (head.Length < 4) throw new FormatException($"wg show {interfaceName} dump: device line has {head.Length} fields");
        var peers = new List<ObservedWgPeer>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 8) throw new FormatException($"wg show {interfaceName} dump: peer line has {f.Length} fields");
            var handshake = long.Parse(f[4], CultureInfo.InvariantCulture);
            peers.Add(new ObservedWgPeer(
                PublicKey: f[0],
                PresharedKeyDigest: None(f[1]) is { } psk ? Digest(psk) : null,
                Endpoint: None(f[2]),
                AllowedIps: None(f[3]) is { } ips ? ips.Split(',').Order(StringComparer.Ordinal).ToEquatableList() : [],
                LatestHandshake: handshake == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(handshake),
                RxBytes: long.Parse(f[5], CultureInfo.InvariantCulture),
                TxBytes: long.Parse(f[6], CultureInfo.InvariantCulture),
                PersistentKeepalive: f[7] == "off" ? 0 : int.Parse(f[7], CultureInfo.InvariantCulture)));
        }
        return new ObservedWgDevice(
            interfaceName,
            None(head[1]),
            int.Parse(head[2], CultureInfo.InvariantCulture),
            head[3] == "off" ? 0 : ParseFwmark(head[3]),
            peers.ToEquatableList());
    }

    /// <summary>A one-way digest so a changed preshared key is detected without keeping the key.</summary>
    public static string Digest(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];

    private static string? None(string field) => field is "(none)" or "" ? null : field;

    private static uint ParseFwmark(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : uint.Parse(text, CultureInfo.InvariantCulture);
}
