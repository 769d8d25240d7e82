namespace BranchConnector.Agent.State;

/// <summary>
/// Key pairs are named by role, not by interface: Register publishes them before any batch names the
/// interfaces, and renaming an interface must not change the device's identity.
/// </summary>
public static class KeyNames
{
    public const string Backbone = "backbone";
    public const string Peering = "peering";
    public const string DefaultBackboneInterface = "wg0";
    public const string DefaultPeeringInterface = "wg2";
    public static readonly IReadOnlyList<string> All = [Backbone, Peering];
}
