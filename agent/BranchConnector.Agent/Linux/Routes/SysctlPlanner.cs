using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>What the sysctl planner returns: the commands and the journal entries before and after they run.</summary>
public sealed record SysctlPlan(SubsystemPlan Set, SubsystemPlan Restore, IReadOnlyList<ChangedSysctl> OwnedBefore, IReadOnlyList<ChangedSysctl> OwnedAfter);

/// <summary>
/// Kernel settings the full tunnel needs (src_valid_mark). Pure. A setting that already has the wanted value is
/// left alone and not journaled: the agent did not change it, so it never restores it. A setting the agent
/// changed is journaled with the value it found, and put back when no longer wanted, but only if it still
/// holds the value the agent wrote.
/// </summary>
public static class SysctlPlanner
{
    /// <summary>Every key the agent may ever write: the observer reads exactly these.</summary>
    public static readonly IReadOnlyList<string> Managed = [FullTunnel.SrcValidMark.Key];

    public const string Subsystem = "wireguard";

    public static SysctlPlan Plan(IReadOnlyList<DesiredSysctl> desired, IReadOnlyDictionary<string, string> observed, IReadOnlyList<ChangedSysctl> owned)
    {
        var journal = owned.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var before = new Dictionary<string, ChangedSysctl>(journal, StringComparer.Ordinal);
        var after = new Dictionary<string, ChangedSysctl>(StringComparer.Ordinal);
        var set = new List<PlannedCommand>();
        var restore = new List<PlannedCommand>();
        var unchanged = 0;

        foreach (var want in DesiredIdentity.Distinct(desired, d => d.Key, d => d with { Origin = null }, "sysctl"))
        {
            var live = observed.GetValueOrDefault(want.Key);
            journal.TryGetValue(want.Key, out var mine);
            if (live == want.Value)
            {
                unchanged++;
                if (mine is not null) after[want.Key] = mine;
                continue;
            }
            // Drift on a setting the agent already changed keeps the first original: that is what goes back.
            var entry = mine is null ? new ChangedSysctl(want.Key, live ?? "", want.Value) : mine with { Set = want.Value };
            before[want.Key] = after[want.Key] = entry;
            var kind = mine is null ? ChangeKind.Added : ChangeKind.Changed;
            set.Add(Command(want.Key, want.Value, new PlannedChange(kind, Subsystem, $"sysctl {want.Key}={want.Value} (was {live ?? "unreadable"})") { Origin = want.Origin }, removal: false));
        }

        foreach (var mine in owned.Where(o => !desired.Any(d => d.Key == o.Key)))
        {
            var live = observed.GetValueOrDefault(mine.Key);
            if (live == mine.Set && live != mine.Original && mine.Original.Length > 0)
                restore.Add(Command(mine.Key, mine.Original,
                    new PlannedChange(ChangeKind.Removed, Subsystem, $"sysctl {mine.Key}={mine.Set} (restored to {mine.Original})"), removal: true));
        }

        return new SysctlPlan(new SubsystemPlan(set, unchanged), new SubsystemPlan(restore, 0), Sorted(before.Values), Sorted(after.Values));
    }

    /// <summary>`sysctl -q -w key=value` (procps): the value is never a secret.</summary>
    public static CommandRequest Write(string key, string value) =>
        new("sysctl", ["-q", "-w", $"{key}={value}"]) { Mutates = true };

    private static PlannedCommand Command(string key, string value, PlannedChange change, bool removal) =>
        new(Stage.Static, Write(key, value), [change]) { IsRemoval = removal };

    private static List<ChangedSysctl> Sorted(IEnumerable<ChangedSysctl> entries) => entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
}
