using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health.Stun;

namespace BranchConnector.Agent.Doctor;

/// <summary>UDP reachability, NAT mapping and public address, from one STUN run against the batch's servers.</summary>
public sealed class StunCheck(IReadOnlyList<Endpoint> servers, Func<IReadOnlyList<Endpoint>, CancellationToken, Task<StunResult>> query) : IDoctorCheck
{
    public const string Udp = "udp";
    public const string Nat = "nat mapping";
    public const string PublicAddress = "public address";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct)
    {
        if (servers.Count == 0)
            return [CheckResult.Warn(Udp, "no STUN servers known (no applied batch, or its monitoring topic lists none)",
                "UDP and NAT cannot be checked until the controller sends monitoring.stun_servers")];
        return Verdicts(await query(servers, ct).ConfigureAwait(false));
    }

    public static IReadOnlyList<CheckResult> Verdicts(StunResult r)
    {
        if (r.UdpBlocked)
            return [CheckResult.Fail(Udp, "no answer from any STUN server (" + (r.Server ?? "none answered") + ")",
                "allow outbound UDP to any port and any public address in the local and upstream firewalls; tunnels need it")];
        var results = new List<CheckResult> { CheckResult.Ok(Udp, "STUN answered from " + r.Server) };
        results.Add(r.NatMapping switch
        {
            NatMapping.None => CheckResult.Ok(Nat, "none: the box has a public address"),
            NatMapping.EndpointIndependent => CheckResult.Ok(Nat, "endpoint-independent: peer-to-peer friendly"),
            NatMapping.EndpointDependent => CheckResult.Warn(Nat, "endpoint-dependent: the public port changes per destination",
                "peer-to-peer tunnels will be relayed; avoid double NAT and use a NAT with endpoint-independent mapping"),
            _ => CheckResult.Warn(Nat, "unknown: fewer than two STUN servers answered", "configure a second STUN server to classify the NAT"),
        });
        results.Add(r.MappedAddress is { } mapped
            ? CheckResult.Ok(PublicAddress, mapped)
            : CheckResult.Warn(PublicAddress, "unknown", "no STUN server reported the mapped address"));
        return results;
    }
}
