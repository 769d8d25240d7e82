using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Reconcile;

/// <summary>The facts the pure planner needs besides desired and observed state.</summary>
public sealed record PlannerContext(
    WgImplementation WgImplementation,
    string WgUserspaceCommand,
    OwnershipRecord Owned,
    Func<string, Secret> PrivateKeyFor,
    DateTimeOffset Now,
    TimeSpan HandshakeFreshness,
    FirewallSettings FirewallSettings,
    FirewallBackend? FirewallBackend);
