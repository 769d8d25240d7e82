using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// The one planner: a pure function of (intent, observed, context). Additions run in dependency order
/// (tunnel devices → addresses/MTU/up → WireGuard config → routes and rules → firewall); removals run after,
/// in the reverse order (firewall → routes → devices → addresses), so nothing points at a vanished object.
/// </summary>
public static class ReconcilePlanner
{
    public static ReconcilePlan Plan(KernelIntent intent, ObservedState observed, PlannerContext ctx)
    {
        var ownedDevices = ctx.Owned.Devices.ToHashSet(StringComparer.Ordinal);
        var wg = WgPlanner.Plan(intent.WgDevices, observed.WgDevices, new WgPlanContext(
            ctx.WgImplementation, ctx.WgUserspaceCommand, observed.LinkNames, ownedDevices, ctx.PrivateKeyFor, ctx.Now, ctx.HandshakeFreshness));

        // Devices about to be created count as existing links for the interface stage that follows them; devices
        // about to be deleted take their addresses with them, so the interface stage must not see them (an
        // `address del` after the device is gone fails, and cleanup would never complete).
        var created = intent.WgDevices.Where(d => !observed.LinkNames.Contains(d.Interface)).Select(d => d.Interface).ToList();
        var deleted = wg.DeletedDevices.ToHashSet(StringComparer.Ordinal);
        var links = observed.Links.Where(l => !deleted.Contains(l.Name))
            .Concat(created.Select(n => new ObservedLink(n, 0, 1420, false, "wireguard", []))).ToList();
        var ownedAddresses = ctx.Owned.Addresses.Select(a => new OwnedAddress(a.Link, a.Cidr)).ToHashSet();
        var iface = InterfacePlanner.Plan(intent.Links, links, ownedAddresses);

        var routes = RoutePlanner.Plan(intent.Routes, intent.Rules, observed.Routes, observed.Rules);
        var sysctls = SysctlPlanner.Plan(intent.Sysctls, observed.Sysctls, ctx.Owned.Sysctls);
        var firewall = ctx.FirewallBackend is null || observed.Firewall is null ? SubsystemPlan.Nothing
            : intent.RemoveAll ? FirewallPlanner.PlanCleanup(observed.Firewall, ctx.FirewallBackend)
            : intent.Firewall is not null ? FirewallPlanner.Plan(ctx.FirewallSettings, intent.Firewall, observed.Firewall, ctx.FirewallBackend)
            : SubsystemPlan.Nothing;

        var xfrm = intent.RemoveAll
            ? XfrmPlanner.PlanCleanup(observed.Xfrm)
            : XfrmPlanner.Plan(new DesiredPeering([], intent.Ipsec), observed.Xfrm, ctx.RetiringSas, ctx.Now, ctx.Sequences);

        // The topics' own subsystems (a cleanup intent has no parts: they plan the removal of all they own).
        var topics = ctx.Subsystems.Select(s => s.Plan(intent, observed.Subsystems[s.Name], ctx)).ToList();

        var warnings = xfrm.RekeyNeeds.Select(n => n.Describe()).Concat(topics.SelectMany(t => t.Warnings)).ToList();
        var stateAdds = xfrm.States.Commands.Where(c => !c.IsRemoval).ToList();
        if (!ctx.EspAvailable && stateAdds.Count > 0)
        {
            warnings.Add($"{EspSupport.MissingMessage}: {stateAdds.Sum(c => c.Changes.Count)} IPSec SAs not installed, policies applied");
            stateAdds.Clear();
        }

        var up = new List<PlannedCommand>();
        up.AddRange(wg.Creates);
        up.AddRange(iface.Plan.Commands.Where(c => !c.IsRemoval));
        up.AddRange(wg.Configures);
        // src_valid_mark before the rules that make the reverse-path check depend on it.
        up.AddRange(sysctls.Set.Commands);
        up.AddRange(routes.Commands.Where(c => !c.IsRemoval));
        up.AddRange(firewall.Commands.Where(c => !c.IsRemoval));
        // SAs before the policies that use them; policies out before the SAs go.
        up.AddRange(stateAdds);
        up.AddRange(xfrm.Policies.Commands.Where(c => !c.IsRemoval));
        up.AddRange(topics.SelectMany(t => t.Commands.Where(c => !c.IsRemoval)));
        var down = new List<PlannedCommand>();
        down.AddRange(topics.AsEnumerable().Reverse().SelectMany(t => t.Commands.Where(c => c.IsRemoval)));
        down.AddRange(xfrm.Policies.Commands.Where(c => c.IsRemoval));
        down.AddRange(xfrm.States.Commands.Where(c => c.IsRemoval));
        down.AddRange(firewall.Commands.Where(c => c.IsRemoval));
        down.AddRange(routes.Commands.Where(c => c.IsRemoval));
        down.AddRange(sysctls.Restore.Commands);
        down.AddRange(wg.Deletes);
        down.AddRange(iface.Plan.Commands.Where(c => c.IsRemoval));

        var before = new OwnershipRecord(
            ownedDevices.Union(created).Order(StringComparer.Ordinal).ToList(),
            Entries(iface.OwnedBeforeApply)) { Sysctls = sysctls.OwnedBefore };
        var after = new OwnershipRecord(
            ownedDevices.Union(created).Where(d => !deleted.Contains(d)).Order(StringComparer.Ordinal).ToList(),
            Entries(iface.OwnedAfterApply)) { Sysctls = sysctls.OwnedAfter };
        var unchanged = wg.Unchanged + iface.Plan.Unchanged + routes.Unchanged + sysctls.Set.Unchanged + firewall.Unchanged + xfrm.States.Unchanged + xfrm.Policies.Unchanged
            + topics.Sum(t => t.Unchanged);
        return new ReconcilePlan([.. up, .. down], iface.Problems, unchanged, before, after) {
            RetiringSas = xfrm.Retiring,
            Warnings = warnings,
            // Nothing is installed on a kernel without ESP: reserving numbers there would only burn a margin per plan.
            SequencesBefore = ctx.EspAvailable ? xfrm.SequencesBefore : new Dictionary<SaSequenceKey, ulong>(),
            RekeyNeeds = xfrm.RekeyNeeds,
        };
    }

    private static List<OwnedAddressEntry> Entries(IReadOnlySet<OwnedAddress> set) =>
        set.Select(a => new OwnedAddressEntry(a.Link, a.Cidr)).OrderBy(a => a.Link, StringComparer.Ordinal).ThenBy(a => a.Cidr, StringComparer.Ordinal).ToList();
}
