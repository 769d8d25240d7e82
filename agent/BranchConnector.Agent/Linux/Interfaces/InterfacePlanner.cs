using System.Globalization;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>
/// Diffs desired addresses, MTU and admin state against the links. Ownership: only addresses the agent
/// added are its own. A desired address that was already there counts as unchanged and stays someone
/// else's, so it is never deleted by the agent later. Owned addresses no longer desired are deleted; owned
/// addresses that vanished (or whose link vanished) are forgotten. MTU is set but never restored.
/// </summary>
public static class InterfacePlanner
{
    public const string Subsystem = "interface";

    public static InterfacePlan Plan(IReadOnlyList<DesiredLinkState> desired, IReadOnlyList<ObservedLink> observed, IReadOnlySet<OwnedAddress> owned)
    {
        var links = new Dictionary<string, ObservedLink>(StringComparer.Ordinal);
        foreach (var link in observed) links.TryAdd(link.Name, link);
        var present = observed.SelectMany(l => l.Addresses.Select(a => new OwnedAddress(l.Name, a))).ToHashSet();
        var wanted = desired.SelectMany(d => d.Addresses.Select(a => new OwnedAddress(d.Name, IpText.InterfaceCidr(a)))).ToHashSet();

        var changes = new List<IpBatchLine>();
        var removals = new List<IpBatchLine>();
        var problems = new List<InterfaceProblem>();
        var added = new HashSet<OwnedAddress>();
        var unchanged = 0;

        foreach (var want in desired)
        {
            if (!links.TryGetValue(want.Name, out var live))
            {
                if (!problems.Any(p => p.Link == want.Name)) problems.Add(new MissingLink(want.Name) { Origin = want.Origin });
                continue;
            }
            if (want.Mtu is int mtu)
            {
                if (mtu == live.Mtu) unchanged++;
                else changes.Add(new(InterfaceRenderer.SetMtu(want.Name, mtu),
                    new(ChangeKind.Changed, Subsystem, $"{want.Name} mtu {live.Mtu.ToString(CultureInfo.InvariantCulture)} -> {mtu.ToString(CultureInfo.InvariantCulture)}") { Origin = want.Origin }));
            }
            foreach (var address in want.Addresses.Select(a => new OwnedAddress(want.Name, IpText.InterfaceCidr(a))).Distinct())
            {
                if (present.Contains(address)) { unchanged++; continue; }
                added.Add(address);
                changes.Add(new(InterfaceRenderer.AddAddress(address), new(ChangeKind.Added, Subsystem, address.ToString()) { Origin = want.Origin }));
            }
            if (want.SetUp)
            {
                if (live.Up) unchanged++;
                else changes.Add(new(InterfaceRenderer.SetUp(want.Name), new(ChangeKind.Changed, Subsystem, $"{want.Name} up") { Origin = want.Origin }));
            }
        }

        var deleted = new HashSet<OwnedAddress>();
        foreach (var mine in owned.OrderBy(o => o.Link, StringComparer.Ordinal).ThenBy(o => o.Cidr, StringComparer.Ordinal))
        {
            if (wanted.Contains(mine) || !present.Contains(mine)) continue;
            deleted.Add(mine);
            removals.Add(new(InterfaceRenderer.DeleteAddress(mine), new(ChangeKind.Removed, Subsystem, mine.ToString())));
        }

        // Still owned afterwards: what we had and still want and still (or again) see, plus what we add now.
        var after = owned.Where(o => wanted.Contains(o) && (present.Contains(o) || added.Contains(o))).Concat(added).ToHashSet();
        var before = owned.Concat(added).ToHashSet();

        var commands = IpBatch.Plan(Stage.Interface, IpFamily.V4, changes, isRemoval: false)
            .Concat(IpBatch.Plan(Stage.Interface, IpFamily.V4, removals, isRemoval: true))
            .ToArray();
        return new InterfacePlan(new SubsystemPlan(commands, unchanged), problems, before, after);
    }
}
