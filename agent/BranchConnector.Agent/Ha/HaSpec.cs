using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// The `ha` batch topic, validated: one VRRP group of a redundant connector pair. Addresses are canonical
/// text; <see cref="UnicastSource"/> is the box's own address on <see cref="Interface"/> (from the batch's
/// `interface` topic) in the subnet of the virtual addresses, the source of the unicast adverts.
/// </summary>
public sealed record HaSpec(
    string Group,
    int Vrid,
    string Interface,
    EquatableList<string> VirtualAddresses,
    int Priority,
    EquatableList<string> Peers,
    int AdvertIntervalMs,
    bool Preempt,
    string UnicastSource)
{
    public const int DefaultPriority = 100;
    public const int DefaultAdvertIntervalMs = 1000;
}
