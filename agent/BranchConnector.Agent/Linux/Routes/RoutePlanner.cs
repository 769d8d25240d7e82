using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// Diffs the routes and band rules the agent wants against the `proto 188` routes and band rules the kernel
/// holds. Every observed `proto 188` route and every band rule is the agent's, so the desired lists must hold
/// ALL of them (static topic, backbone allowed IPs, full tunnel, relayed peers): anything missing is deleted.
/// One route added, changed or removed is exactly one batch line.
/// </summary>
public static class RoutePlanner
{
    public const string Subsystem = "static";

    public static SubsystemPlan Plan(
        IReadOnlyList<DesiredRoute> desiredRoutes,
        IReadOnlyList<DesiredRule> desiredRules,
        IReadOnlyList<ObservedRoute> observedRoutes,
        IReadOnlyList<ObservedRule> observedRules)
    {
        var adds = new Dictionary<IpFamily, List<IpBatchLine>> { [IpFamily.V4] = [], [IpFamily.V6] = [] };
        var removes = new Dictionary<IpFamily, List<IpBatchLine>> { [IpFamily.V4] = [], [IpFamily.V6] = [] };
        var unchanged = 0;

        var routes = DesiredIdentity.Distinct(desiredRoutes.Select(r => r.Canonical()), r => r.Key, r => r with { Origin = null }, "route");
        var observedByKey = new Dictionary<RouteKey, ObservedRoute>();
        foreach (var o in observedRoutes) observedByKey.TryAdd(o.Key, o);

        // Rule deletions go before route deletions so traffic never points at an emptied table.
        var rules = DesiredIdentity.Distinct(desiredRules.Select(r => r.Canonical()), r => r with { Origin = null }, r => r with { Origin = null }, "rule");
        foreach (var rule in rules.Where(r => !RuleBand.Contains(r.Priority)))
            throw new ArgumentException($"rule priority {rule.Priority} is outside the agent's band {RuleBand.First}..{RuleBand.Last}", nameof(desiredRules));
        // Observed rules carry no origin: compare the kernel objects, keep the desired ones (with their origin).
        var wantedRules = rules.ToDictionary(r => r with { Origin = null });
        foreach (var o in observedRules)
        {
            var asDesired = o.AsDesired();
            if (o.Unmodeled is null && wantedRules.Remove(asDesired)) { unchanged++; continue; }
            removes[o.Family].Add(new(RouteRenderer.DeleteRule(asDesired), new(ChangeKind.Removed, Subsystem, "rule " + asDesired)));
        }

        foreach (var route in routes)
        {
            if (!observedByKey.Remove(route.Key, out var live))
                adds[route.Family].Add(new(RouteRenderer.Add(route), new(ChangeKind.Added, Subsystem, "route " + RouteRenderer.Describe(route)) { Origin = route.Origin }));
            else if (Matches(route, live))
                unchanged++;
            else
                adds[route.Family].Add(new(RouteRenderer.Replace(route),
                    new(ChangeKind.Changed, Subsystem, $"route {RouteRenderer.Describe(live)} -> {RouteRenderer.Describe(route)}") { Origin = route.Origin }));
        }
        foreach (var o in observedRoutes.Where(o => observedByKey.ContainsKey(o.Key) && ReferenceEquals(observedByKey[o.Key], o)))
            removes[o.Family].Add(new(RouteRenderer.Delete(o), new(ChangeKind.Removed, Subsystem, "route " + RouteRenderer.Describe(o))));

        // Rules after routes on the way up, so a rule never sends traffic to a table still being filled.
        foreach (var rule in rules.Where(r => wantedRules.ContainsKey(r with { Origin = null })))
            adds[rule.Family].Add(new(RouteRenderer.AddRule(rule), new(ChangeKind.Added, Subsystem, "rule " + rule) { Origin = rule.Origin }));

        var commands = new List<PlannedCommand>();
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            commands.AddRange(IpBatch.Plan(Stage.Static, family, adds[family], isRemoval: false));
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            commands.AddRange(IpBatch.Plan(Stage.Static, family, removes[family], isRemoval: true));
        return new SubsystemPlan(commands, unchanged);
    }

    /// <summary>A desired route without a device accepts whichever device the kernel chose for its gateway.</summary>
    private static bool Matches(DesiredRoute want, ObservedRoute live) =>
        live.Unmodeled is null
        && want.Gateway == live.Gateway
        && (want.Device is null || want.Device == live.Device);
}
