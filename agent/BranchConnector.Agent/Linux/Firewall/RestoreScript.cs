using System.Text;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// The input of one <c>iptables-restore --noflush</c> for a family. Declaring an existing chain flushes it, so
/// every desired own chain is redeclared and refilled as a whole; wrong jumps (missing, moved, duplicated) are
/// deleted by their observed text and one is inserted at position 1; chains no longer wanted lose their jumps,
/// are flushed and deleted. Only own chains and their jumps appear, so nothing else is touched.
/// </summary>
internal static class RestoreScript
{
    public static string Build(FamilyDiff diff, ObservedFamily observed)
    {
        var text = new StringBuilder();
        foreach (var table in OwnChain.Tables)
        {
            var desired = diff.Desired.Where(c => c.Chain.Table == table).ToList();
            var removed = diff.Removed.Where(c => c.Table == table).ToList();
            if (desired.Count == 0 && removed.Count == 0) continue;

            text.Append('*').Append(table).Append('\n');
            foreach (var chain in desired.Select(c => c.Chain).Concat(removed))
                text.Append(':').Append(chain.Name).Append(" - [0:0]\n");
            foreach (var chain in desired.Select(c => c.Chain).Where(diff.JumpRepairs.Contains).Concat(removed))
                foreach (var jump in observed.JumpsInto(chain))
                    text.Append("-D ").Append(jump.Line.AsSpan(3)).Append('\n');
            foreach (var chain in desired.Select(c => c.Chain).Where(diff.JumpRepairs.Contains))
                text.Append("-I ").Append(chain.Hook).Append(" 1").Append(chain.JumpLine.AsSpan(3 + chain.Hook.Length)).Append('\n');
            foreach (var rule in desired.SelectMany(c => c.Rules))
                text.Append(rule).Append('\n');
            foreach (var chain in removed)
                text.Append("-X ").Append(chain.Name).Append('\n');
            text.Append("COMMIT\n");
        }
        return text.ToString();
    }
}
