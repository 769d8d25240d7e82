using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Xfrm;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// Finds desired objects that claim one kernel identity with different content, before anything is planned:
/// the same identities the planners key by (route destination/table/metric, rule, sysctl, SA, xfrm policy).
/// </summary>
public static class IntentConflicts
{
    public static IReadOnlyList<IntentConflict> Find(KernelIntent intent)
    {
        var xfrm = XfrmIntent.From(new DesiredPeering([], intent.Ipsec));
        return
        [
            .. DesiredIdentity.Conflicts(intent.Routes.Select(r => r.Canonical()), r => r.Key, r => r with { Origin = null }, "route", r => r.Origin),
            .. DesiredIdentity.Conflicts(intent.Rules.Select(r => r.Canonical()), r => r with { Origin = null }, r => r with { Origin = null }, "rule", r => r.Origin),
            .. DesiredIdentity.Conflicts(intent.Sysctls, s => s.Key, s => s with { Origin = null }, "sysctl", s => s.Origin),
            .. DesiredIdentity.Conflicts(xfrm.Sas, s => s.Identity, s => s with { Origin = null }, "SA", s => s.Origin, s => $"link {s.LinkId}"),
            .. DesiredIdentity.Conflicts(xfrm.Policies, p => p.Key, p => p with { Origin = null }, "policy", p => p.Origin, p => $"link {p.LinkId}"),
        ];
    }
}
