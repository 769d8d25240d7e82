using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

public sealed record TunnelStatusPayload(string Serial, DateTimeOffset SentAt, IReadOnlyList<TunnelStatusEntry> Tunnels)
{
    [JsonPropertyOrder(-2)] public int V => 1;

    /// <summary>The pair's HaState; null without the `ha` topic (spec: HaState).</summary>
    public Ha.HaStatePayload? Ha { get; init; }

    public const string Backbone = "backbone";
    public const string Peering = "peering";
}

/// <summary>
/// One tunnel. The backbone carries the hub fields (server_address … tx_bytes), a peering tunnel carries
/// `peers`; a field that does not apply to the kind, or is not known (no handshake yet), is left out.
/// </summary>
public sealed record TunnelStatusEntry(
    string Interface,
    string Kind,
    string Status,
    bool Enabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ListenPort,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PublicKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ServerAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndpointHost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Mtu,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? LatestHandshakeAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? HandshakeAgeS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RxBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TxBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PeerStatusEntry>? Peers);

/// <summary>A peering member: `path` is direct | relayed | down.</summary>
public sealed record PeerStatusEntry(
    string Serial,
    string Path,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndpointHost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? HandshakeAgeS,
    long RxBytes,
    long TxBytes);
