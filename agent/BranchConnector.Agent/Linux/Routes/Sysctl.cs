using BranchConnector.Agent.Desired;
namespace BranchConnector.Agent.Linux.Routes;

/// <summary>A kernel setting the agent wants, by its dotted sysctl name ("net.ipv4.conf.all.src_valid_mark").</summary>
public sealed record DesiredSysctl(string Key, string Value)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }

    /// <summary>Path under /proc/sys: dots become slashes (none of the agent's keys holds an interface name with a dot).</summary>
    public static string RelativePath(string key) => key.Replace('.', '/');
}

/// <summary>
/// A setting the agent changed, as the ownership journal records it: the value found before (restored when the
/// setting is no longer wanted) and the value the agent wrote (restoring happens only while it is still there,
/// so a later change by someone else is left alone).
/// </summary>
public sealed record ChangedSysctl(string Key, string Original, string Set);
