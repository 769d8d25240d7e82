namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>The agent's xfrm objects as the kernel holds them (only the reqid and priority bands of <see cref="XfrmBands"/>).</summary>
public sealed record ObservedXfrm(IReadOnlyList<ObservedSa> States, IReadOnlyList<ObservedPolicy> Policies)
{
    public static readonly ObservedXfrm Empty = new([], []);
}

/// <summary>
/// One ESP state. The key is never kept: <see cref="KeyDigest"/> is a one-way digest of the hex key
/// (<see cref="XfrmKeyDigest"/>), enough to notice that a key changed.
/// </summary>
public sealed record ObservedSa(
    string Source,
    string Destination,
    uint Spi,
    uint Reqid,
    string Mode,
    string? Aead,
    string? KeyDigest,
    int? IcvBits,
    SaEncap? Encap)
{
    public SaKey Identity => new(Destination, Spi);

    /// <summary>Algorithms the agent never writes (enc, auth, comp); such an SA never matches a desired one.</summary>
    public string? Unmodeled { get; init; }

    /// <summary>The last outbound sequence number used (64-bit with ESN: oseq-hi:oseq); null when `ip` printed no replay context.</summary>
    public ulong? OutboundSequence { get; init; }

    /// <summary>The highest sequence number received (64-bit with ESN: seq-hi:seq); null when `ip` printed no replay context.</summary>
    public ulong? InboundSequence { get; init; }

    /// <summary>Extended sequence numbers (`flag esn`).</summary>
    public bool Esn { get; init; }

    /// <summary>The replay window (the ESN context's `replay_window` when present, else the legacy `replay-window`).</summary>
    public int ReplayWindow { get; init; }
}

/// <summary>An SA's identity in the kernel: (destination, SPI); the protocol is always ESP here.</summary>
public sealed record SaKey(string Destination, uint Spi);

public sealed record SaEncap(string Type, int SourcePort, int DestinationPort);

public enum PolicyDir { Out, In, Fwd }

/// <summary>
/// A policy's identity in the kernel: one policy per (selector, dir), whatever its priority. <see cref="Upper"/>
/// is the rest of a selector the agent never writes ("proto udp dport 53", "dev eth0"); null for the agent's.
/// </summary>
public sealed record PolicyKey(PolicyDir Dir, string Source, string Destination, string? Upper = null)
{
    public override string ToString() => $"{Dir.ToString().ToLowerInvariant()} {Source} -> {Destination}{(Upper is null ? "" : " " + Upper)}";
}

public sealed record PolicyTemplate(string Source, string Destination, string Proto, uint Reqid, string Mode);

/// <summary>One policy in the agent's priority band.</summary>
public sealed record ObservedPolicy(PolicyKey Key, uint Priority, IReadOnlyList<PolicyTemplate> Templates)
{
    /// <summary>Settings the agent never writes (port/proto/dev selectors, an action, a template level…); such a policy never matches a desired one.</summary>
    public string? Unmodeled { get; init; }
}
