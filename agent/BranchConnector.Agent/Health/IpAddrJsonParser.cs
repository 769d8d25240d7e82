using System.Net;
using System.Text.Json;

namespace BranchConnector.Agent.Health;

/// <summary>Reads the addresses out of `ip -j addr show`, skipping loopback interfaces and loopback addresses.</summary>
public static class IpAddrJsonParser
{
    /// <summary>Addresses in the order ip printed them, each once. Text that is not ip's JSON yields an empty list.</summary>
    public static IReadOnlyList<string> NonLoopbackAddresses(string json)
    {
        var result = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return result;
            foreach (var link in document.RootElement.EnumerateArray())
            {
                if (link.ValueKind != JsonValueKind.Object || IsLoopbackLink(link)) continue;
                if (!link.TryGetProperty("addr_info", out var infos) || infos.ValueKind != JsonValueKind.Array) continue;
                foreach (var info in infos.EnumerateArray())
                {
                    if (info.ValueKind != JsonValueKind.Object
                        || !info.TryGetProperty("local", out var local) || local.ValueKind != JsonValueKind.String
                        || !IPAddress.TryParse(local.GetString(), out var address)
                        || IPAddress.IsLoopback(address)) continue;
                    var text = address.ToString();
                    if (!result.Contains(text)) result.Add(text);
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }
        return result;
    }

    private static bool IsLoopbackLink(JsonElement link)
    {
        if (link.TryGetProperty("link_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "loopback")
            return true;
        return link.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Array
            && flags.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.String && f.GetString() == "LOOPBACK");
    }
}
