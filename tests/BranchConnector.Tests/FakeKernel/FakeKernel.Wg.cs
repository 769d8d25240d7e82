using System.Globalization;
using System.Text;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>`wg syncconf` (setconf semantics, sessions of kept peers preserved) and `wg show IF dump`.</summary>
public sealed partial class FakeKernel
{
    private void SyncConf(string dev, string config)
    {
        if (!_wg.TryGetValue(dev, out var device)) throw new KernelError($"Unable to modify interface: No such device");
        string? privateKey = null;
        int? port = null;
        uint fwmark = 0;
        var peers = new List<FakeWgPeer>();
        FakeWgPeer? peer = null;
        foreach (var raw in config.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.Equals("[Interface]", StringComparison.OrdinalIgnoreCase)) { peer = null; continue; }
            if (line.Equals("[Peer]", StringComparison.OrdinalIgnoreCase)) { peer = null; peers.Add(new FakeWgPeer("")); continue; }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw new KernelError($"Line unrecognized: `{line}'\nConfiguration parsing error");
            var key = line[..eq].Trim().ToLowerInvariant();
            var value = line[(eq + 1)..].Trim();
            if (peers.Count == 0)
            {
                switch (key)
                {
                    case "privatekey": privateKey = Key(value); break;
                    case "listenport": port = Int(value); break;
                    case "fwmark": fwmark = value == "off" ? 0 : Mark(value); break;
                    default: throw new KernelError($"Line unrecognized: `{line}'\nConfiguration parsing error");
                }
                continue;
            }
            var current = peers[^1];
            switch (key)
            {
                case "publickey":
                    peer = new FakeWgPeer(Key(value));
                    peers[^1] = peer;
                    break;
                case "presharedkey": (peer ?? current).PresharedKey = Key(value); break;
                case "endpoint": (peer ?? current).Endpoint = Endpoint(value); break;
                case "allowedips":
                    (peer ?? current).AllowedIps.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Addr.Network));
                    break;
                case "persistentkeepalive": (peer ?? current).PersistentKeepalive = value == "off" ? 0 : Int(value); break;
                default: throw new KernelError($"Line unrecognized: `{line}'\nConfiguration parsing error");
            }
        }
        if (peers.Any(p => p.PublicKey.Length == 0)) throw new KernelError("A peer is missing a public key\nConfiguration parsing error");

        device.PrivateKey = privateKey;
        device.ListenPort = port is null or 0 ? (device.ListenPort != 0 ? device.ListenPort : _nextPort++) : port.Value;
        device.Fwmark = fwmark;
        var kept = new List<FakeWgPeer>();
        foreach (var want in peers)
        {
            var have = device.Peers.FirstOrDefault(p => p.PublicKey == want.PublicKey) ?? kept.FirstOrDefault(p => p.PublicKey == want.PublicKey);
            if (have is null)
            {
                have = want;
            }
            else
            {
                // A kept peer keeps its session (handshake, counters); setconf replaces the rest.
                have.PresharedKey = want.PresharedKey;
                have.PersistentKeepalive = want.PersistentKeepalive;
                if (want.Endpoint is not null) have.Endpoint = want.Endpoint;
                have.AllowedIps.Clear();
                have.AllowedIps.AddRange(want.AllowedIps);
            }
            // An allowed IP belongs to one peer: the later one takes it.
            foreach (var other in kept) other.AllowedIps.RemoveAll(have.AllowedIps.Contains);
            if (!kept.Contains(have)) kept.Add(have);
        }
        device.Peers.Clear();
        device.Peers.AddRange(kept);
    }

    private string WgDump(string dev)
    {
        if (!_wg.TryGetValue(dev, out var d)) throw new KernelError($"Unable to access interface: No such device");
        var t = new StringBuilder();
        var pub = d.PrivateKey is { } k ? PublicKeyOf(k) : "(none)";
        t.Append(d.PrivateKey ?? "(none)").Append('\t').Append(pub).Append('\t').Append(d.ListenPort.ToString(CultureInfo.InvariantCulture)).Append('\t')
         .Append(d.Fwmark == 0 ? "off" : "0x" + d.Fwmark.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var p in d.Peers)
        {
            t.Append(p.PublicKey).Append('\t').Append(p.PresharedKey ?? "(none)").Append('\t').Append(p.Endpoint ?? "(none)").Append('\t')
             .Append(p.AllowedIps.Count == 0 ? "(none)" : string.Join(',', p.AllowedIps)).Append('\t')
             .Append(p.LatestHandshake.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(p.RxBytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
             .Append(p.TxBytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
             .Append(p.PersistentKeepalive == 0 ? "off" : p.PersistentKeepalive.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return t.ToString();
    }

    private string PublicKeyOf(string privateKey) =>
        _publicKeys.TryGetValue(privateKey, out var pub) ? pub : throw new InvalidOperationException("fake kernel: no public key registered for a private key (KnowKeyPair)");

    private static string Key(string value)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(value); }
        catch (FormatException) { throw new KernelError("Key is not the correct length or format\nConfiguration parsing error"); }
        return bytes.Length == 32 ? value : throw new KernelError("Key is not the correct length or format\nConfiguration parsing error");
    }

    private static string Endpoint(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 0) throw new KernelError("Unable to parse endpoint");
        var host = value[..colon].Trim('[', ']');
        Addr.Parse(host);
        Int(value[(colon + 1)..]);
        return value;
    }
}
