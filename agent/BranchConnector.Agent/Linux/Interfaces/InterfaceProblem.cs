using BranchConnector.Agent.Desired;
namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>Why part of the desired interface state cannot be applied; the reconciler reports it as an apply error.</summary>
public abstract record InterfaceProblem(string Link)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }

    public abstract string Message { get; }
}

/// <summary>A desired link that does not exist: the agent never creates physical links.</summary>
public sealed record MissingLink(string Link) : InterfaceProblem(Link)
{
    public override string Message => $"interface {Link} does not exist";
}
