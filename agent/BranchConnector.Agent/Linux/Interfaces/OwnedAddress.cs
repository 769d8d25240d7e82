namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>An address the agent added itself (ownership journal). Cidr is canonical "ip/len".</summary>
public sealed record OwnedAddress(string Link, string Cidr)
{
    public override string ToString() => $"{Cidr} dev {Link}";
}
