namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// One chain the agent owns: its table, its name and the built-in chain (hook) that enters it with one jump at
/// position 1. Nothing outside these chains and their jumps is ever written.
/// </summary>
public sealed record OwnChain(string Table, string Name, string Hook)
{
    public const string Comment = "branch-connector";

    /// <summary>The jump rule exactly as iptables-save prints it.</summary>
    public string JumpLine => $"-A {Hook} -m comment --comment {Comment} -j {Name}";

    public static readonly OwnChain Input = new("filter", "BC-INPUT", "INPUT");
    public static readonly OwnChain Forward = new("filter", "BC-FORWARD", "FORWARD");
    public static readonly OwnChain Prerouting = new("nat", "BC-PREROUTING", "PREROUTING");
    public static readonly OwnChain Postrouting = new("nat", "BC-POSTROUTING", "POSTROUTING");
    public static readonly OwnChain Mss = new("mangle", "BC-MSS", "FORWARD");

    /// <summary>Full tunnel: the tunnel's fwmark restored from conntrack onto replies, before routing and rp_filter see them.</summary>
    public static readonly OwnChain ConnmarkRestore = new("mangle", "BC-CTMARK-IN", "PREROUTING");

    /// <summary>Full tunnel: the fwmark of the tunnel's and the agent's own packets saved into conntrack.</summary>
    public static readonly OwnChain ConnmarkSave = new("mangle", "BC-CTMARK-OUT", "POSTROUTING");

    /// <summary>All own chains in the order restore input lists them.</summary>
    public static readonly IReadOnlyList<OwnChain> All = [Input, Forward, Prerouting, Postrouting, Mss, ConnmarkRestore, ConnmarkSave];

    /// <summary>Tables in the order restore input writes them.</summary>
    public static readonly IReadOnlyList<string> Tables = ["filter", "nat", "mangle"];

    public static OwnChain? Find(string table, string name) =>
        All.FirstOrDefault(c => c.Table == table && c.Name == name);
}
