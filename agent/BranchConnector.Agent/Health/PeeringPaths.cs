using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Agent.Health;

/// <summary>What the relay monitor remembers about one member's direct path between two looks.</summary>
public sealed record MemberTraffic(long RxBytes, DateTimeOffset LastRxGrowth);

/// <summary>The decision of one look: who goes through the hub now, and the memory for the next look.</summary>
public sealed record PathDecision(IReadOnlySet<string> Relayed, IReadOnlyDictionary<string, MemberTraffic> Traffic, IReadOnlyList<string> Switches);

/// <summary>
/// Direct first, relay when the direct path is silent, and back as soon as it speaks again. A member's direct
/// path is alive while its peer on the peering interface keeps receiving (persistent keepalives guarantee
/// traffic at least every keepalive interval); silent for direct_timeout_s → its subnets go via the hub.
/// The direct peer stays configured, so its keepalives keep probing and the path comes back by itself.
/// </summary>
public static class PeeringPaths
{
    public static PathDecision Decide(
        DesiredPeering peering,
        ObservedWgDevice? device,
        IReadOnlyDictionary<string, MemberTraffic> previous,
        IReadOnlySet<string> relayedBefore,
        DateTimeOffset configuredAt,
        DateTimeOffset now)
    {
        var relayed = new HashSet<string>(StringComparer.Ordinal);
        var traffic = new Dictionary<string, MemberTraffic>(StringComparer.Ordinal);
        var switches = new List<string>();
        foreach (var group in peering.WireGuardGroups)
        {
            var timeout = TimeSpan.FromSeconds(group.DirectTimeoutS);
            foreach (var member in group.Members)
            {
                if (member.Endpoint is null) continue; // always relayed by the intent itself
                var live = device?.Peers.FirstOrDefault(p => p.PublicKey == member.PublicKey);
                var rx = live?.RxBytes ?? 0;
                var memory = previous.TryGetValue(member.Serial, out var m)
                    ? (rx > m.RxBytes ? new MemberTraffic(rx, now) : m with { RxBytes = rx })
                    : new MemberTraffic(rx, configuredAt);
                traffic[member.Serial] = memory;
                var silent = now - memory.LastRxGrowth > timeout;
                if (silent) relayed.Add(member.Serial);
                var was = relayedBefore.Contains(member.Serial);
                if (silent != was)
                    switches.Add(silent
                        ? $"{member.Serial}: no traffic on the direct path for {(int)(now - memory.LastRxGrowth).TotalSeconds} s: relaying through the hub"
                        : $"{member.Serial}: direct path answers again: back to direct");
            }
        }
        return new PathDecision(relayed, traffic, switches);
    }

    /// <summary>Keepalive on the direct path: often enough that a live path always shows traffic within the timeout.</summary>
    public static int KeepaliveFor(int directTimeoutS) => Math.Clamp(directTimeoutS / 3, 1, 25);
}
