namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>Which iptables flavour holds the rules, and the save/restore binaries of each family.</summary>
public sealed record FirewallBackend(string Name, string SaveV4, string RestoreV4, string SaveV6, string RestoreV6)
{
    public static readonly FirewallBackend Nft = new("iptables-nft", "iptables-nft-save", "iptables-nft-restore", "ip6tables-nft-save", "ip6tables-nft-restore");
    public static readonly FirewallBackend Legacy = new("iptables-legacy", "iptables-legacy-save", "iptables-legacy-restore", "ip6tables-legacy-save", "ip6tables-legacy-restore");

    /// <summary>The name reported in status and doctor when no backend binary exists.</summary>
    public const string NoneName = "none";

    public string Save(IpFamily family) => family == IpFamily.V4 ? SaveV4 : SaveV6;
    public string Restore(IpFamily family) => family == IpFamily.V4 ? RestoreV4 : RestoreV6;
}
