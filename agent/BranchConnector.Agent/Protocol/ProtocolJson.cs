using System.Text.Json;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Protocol;

/// <summary>UTF-8 JSON for every agent → hub payload (source-generated, trim-safe, snake_case, `"v": 1` first).</summary>
public static class ProtocolJson
{
    public static byte[] Serialize(ConfirmPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.ConfirmPayload);
    public static byte[] Serialize(RegisterPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.RegisterPayload);
    public static byte[] Serialize(StatePayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.StatePayload);
    public static byte[] Serialize(LastWillPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.LastWillPayload);
    public static byte[] Serialize(ConfigRequestPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.ConfigRequestPayload);
    public static byte[] Serialize(KeepalivePayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.KeepalivePayload);
    public static byte[] Serialize(TunnelStatusPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.TunnelStatusPayload);
    public static byte[] Serialize(InformPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.InformPayload);
    public static byte[] Serialize(Ha.HaStatePayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.HaStatePayload);
    public static byte[] Serialize(TimeRequestPayload payload) => JsonSerializer.SerializeToUtf8Bytes(payload, ProtocolJsonContext.Default.TimeRequestPayload);
}
