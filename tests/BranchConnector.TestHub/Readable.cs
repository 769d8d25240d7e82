using System.Text.Json;
using System.Text.Json.Nodes;

namespace BranchConnector.TestHub;

/// <summary>One readable line per agent message: what a person watching the demo needs, not the whole JSON.</summary>
public static class Readable
{
    public static string Line(string topic, string payload)
    {
        var parts = topic.Split('/');
        var serial = parts.Length > 1 ? parts[1] : "?";
        var kind = string.Join('/', parts.Skip(2));
        JsonObject? o;
        try { o = JsonNode.Parse(payload) as JsonObject; }
        catch (JsonException) { o = null; }
        if (o is null) return $"{kind,-18} {serial} (not JSON) {payload}";
        var text = kind switch
        {
            "config/confirm" or "e2e-peering/confirm" => Confirm(o),
            "state" => o["online"]?.GetValue<bool>() == false ? "offline (last will)" : $"{S(o, "state")} online",
            "keepalive" => $"state={S(o, "state")} config_sequence={S(o, "config_sequence")} uptime={S(o, "uptime_s")}s",
            "tunnel/status" => Tunnels(o),
            "register" => "keys " + string.Join(' ', (o["public_keys"] as JsonObject ?? []).Select(k => $"{k.Key}={Short(k.Value?.ToString())}"))
                          + $" lan={Join(o["lan_subnets"])} version={S(o, "agent_version")}",
            "inform" => $"public_ip={S(o, "public_ip")} nat={S(o["stun"], "nat_mapping")} wg={S(o, "wireguard_implementation")} "
                        + $"fw={S(o, "firewall_backend")} clock_offset={S(o["time"], "offset_ms")}ms last_config={S(o["last_config"], "sequence")}",
            "time/request" => $"t0={S(o, "t0")}",
            "ha/state" => $"{S(o, "state")} group={S(o, "group")} vrid={S(o, "vrid")} priority={S(o, "priority")} reason={S(o, "reason")}",
            "config/request" => $"have_sequence={S(o, "have_sequence")} have_peering_sequence={S(o, "have_peering_sequence")}",
            _ => payload,
        };
        return $"{kind,-19} {serial} {text}";
    }

    public static string Confirm(JsonObject o)
    {
        var head = $"{S(o, "kind")} sequence={S(o, "sequence")}";
        if (o["success"]?.GetValue<bool>() != true)
        {
            var e = o["error"];
            return $"{head} FAILED {S(e, "code")}: {S(e, "message")}{(o["rolled_back"]?.GetValue<bool>() == true ? " (rolled back)" : "")}";
        }
        var c = o["changes"];
        return $"{head} applied: +{S(c, "added")} -{S(c, "removed")} ~{S(c, "changed")} ={S(c, "unchanged")} in {S(o, "duration_ms")} ms"
               + (o["warnings"] is JsonArray { Count: > 0 } w ? $" warnings: {Join(w)}" : "");
    }

    public static string Tunnels(JsonObject o) =>
        string.Join("; ", (o["tunnels"] as JsonArray ?? []).OfType<JsonObject>().Select(t =>
            $"{S(t, "interface")} {S(t, "kind")} {S(t, "status")}" + (t["handshake_age_s"] is { } age ? $" handshake {age}s ago" : "")
            + (t["peers"] is JsonArray { Count: > 0 } peers
                ? " [" + string.Join(", ", peers.OfType<JsonObject>().Select(p => $"{S(p, "serial")} {S(p, "path")} {S(p, "status")}")) + "]"
                : "")));

    private static string S(JsonNode? node, string key) => node is JsonObject o && o[key] is { } v ? v.ToString() : "-";

    private static string Join(JsonNode? array) => array is JsonArray a ? string.Join(',', a.Select(x => x?.ToString())) : "-";

    private static string Short(string? key) => key is { Length: > 8 } ? key[..8] + "…" : key ?? "-";
}
