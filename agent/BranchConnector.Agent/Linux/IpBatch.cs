using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux;

/// <summary>
/// Renders `ip` commands as one `ip -batch -` process reading them from stdin. IPv6 rules need `-6` on the
/// command line (a batch line cannot start with "-6"), so each family gets its own process.
/// </summary>
public static class IpBatch
{
    public static CommandRequest Render(IReadOnlyList<string> lines, IpFamily family = IpFamily.V4) =>
        new("ip", family == IpFamily.V6 ? ["-6", "-batch", "-"] : ["-batch", "-"])
        {
            Stdin = string.Concat(lines.Select(l => l + "\n")),
            Mutates = true,
        };

    /// <summary>
    /// One planned command for the lines, or none when there are no lines. Its <see cref="PlannedCommand.Changes"/>
    /// are in line order: Changes[n - 1] is what line n does, which <see cref="IpBatchFailure"/> relies on.
    /// </summary>
    public static IEnumerable<PlannedCommand> Plan(Stage stage, IpFamily family, IReadOnlyList<IpBatchLine> lines, bool isRemoval)
    {
        if (lines.Count == 0) yield break;
        yield return new PlannedCommand(stage, Render(lines.Select(l => l.Text).ToArray(), family), lines.Select(l => l.Change).ToArray())
        {
            IsRemoval = isRemoval,
        };
    }
}
