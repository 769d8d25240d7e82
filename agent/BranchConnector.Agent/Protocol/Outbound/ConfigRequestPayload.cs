using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>
/// `config/request` on every (re)connect, and at once when an IPSec link newly needs new keys: what this box has
/// applied (null: nothing yet), the links whose outbound SA it will not install with the keys it has, and whether
/// it started with its IPSec sequence record (docs/protocol.md).
/// </summary>
public sealed record ConfigRequestPayload(string Serial, long? HaveSequence, string? HaveConfigHash, long? HavePeeringSequence,
    IReadOnlyList<RekeyLink> RekeyLinks, string SequenceRecord)
{
    [JsonPropertyOrder(-2)] public int V => 1;

    /// <summary>`sequence_record`: the agent started with its record of IPSec sequence numbers.</summary>
    public const string Kept = "kept";

    /// <summary>`sequence_record`: it started without one (first start, state_dir wiped or unreadable): keys it was given before must not be sent again.</summary>
    public const string New = "new";
}

/// <summary>One link that needs new keys: reason `no_sequence_record` or `sequence_exhausted`; spi is the refused outbound SPI.</summary>
public sealed record RekeyLink(string Link, string Spi, string Reason);
