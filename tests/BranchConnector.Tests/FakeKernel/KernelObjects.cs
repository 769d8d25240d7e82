using BranchConnector.Agent.Linux;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>A network link. Addresses are canonical "ip/len" in the order they were added.</summary>
public sealed class FakeLink(string name, int index, int mtu, bool up, string? kind)
{
    public string Name { get; } = name;
    public int Index { get; } = index;
    public int Mtu { get; set; } = mtu;
    public bool Up { get; set; } = up;
    public string? Kind { get; } = kind;
    public List<string> Addresses { get; } = [];
}

/// <summary>
/// A route. The kernel's identity is (family, destination, table, metric); protocol is an attribute, so a
/// foreign route with the agent's key blocks a `route add`. Metric is the effective one (IPv6: 1024 for none).
/// </summary>
public sealed record FakeRoute(IpFamily Family, string Destination, string? Gateway, string Device, int Metric, int Table, int Protocol, bool Onlink)
{
    public (IpFamily, string, int, int) Key => (Family, Destination, Table, Metric);
}

/// <summary>A policy rule. <see cref="Iif"/> stands for a selector the agent never writes (foreign rules only).</summary>
public sealed record FakeRule(IpFamily Family, int Priority, string? From, string? To, int? Table, uint? Fwmark, bool Invert, int? Suppress, string? Iif = null);

public sealed class FakeWgPeer(string publicKey)
{
    public string PublicKey { get; } = publicKey;
    public string? PresharedKey { get; set; }
    public string? Endpoint { get; set; }
    public List<string> AllowedIps { get; } = [];
    public int PersistentKeepalive { get; set; }
    public long LatestHandshake { get; set; }
    public long RxBytes { get; set; }
    public long TxBytes { get; set; }
}

public sealed class FakeWgDevice
{
    public string? PrivateKey { get; set; }
    public int ListenPort { get; set; }
    public uint Fwmark { get; set; }
    public List<FakeWgPeer> Peers { get; } = [];
}

/// <summary>An ESP state; <see cref="Mark"/> is set only on foreign states (the agent never writes one).</summary>
public sealed record FakeSa(
    string Source, string Destination, uint Spi, uint Reqid, string Mode, string Aead, string KeyHex, int IcvBits,
    string? EncapType, int EncapSport, int EncapDport, uint? Mark = null)
{
    /// <summary>ESN states print the "anti-replay esn context" form; the window is what `replay-window` asked for.</summary>
    public bool Esn { get; init; }
    public int ReplayWindow { get; init; }
    public ulong InboundSequence { get; init; }
    public ulong OutboundSequence { get; init; }
}

public sealed record FakeTemplate(string Source, string Destination, string Proto, uint Reqid, string Mode);

/// <summary>A policy; identity is (selector, dir, mark). <see cref="Upper"/> is the rest of the selector ("proto udp dport 53").</summary>
public sealed record FakePolicy(string Source, string Destination, string? Upper, string Dir, uint Priority, IReadOnlyList<FakeTemplate> Templates, uint? Mark = null)
{
    public (string, string, string?, string, uint?) Key => (Source, Destination, Upper, Dir, Mark);
}
