using System.Text;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Routes;

/// <summary>A plan as reviewable text: each command line, its stdin lines, and the change each line makes.</summary>
internal static class PlanText
{
    public static string Render(SubsystemPlan plan)
    {
        var text = new StringBuilder();
        foreach (var command in plan.Commands)
        {
            text.Append("$ ").Append(command.Request.CommandLine).Append(command.IsRemoval ? "   # removal" : "").Append(" [stage ").Append(command.Stage).Append("]\n");
            var lines = (command.Request.Stdin ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < lines.Length; i++)
                text.Append("  ").Append(lines[i]).Append("   # ").Append(i < command.Changes.Count ? command.Changes[i].ToString() : "NO CHANGE").Append('\n');
        }
        text.Append("unchanged: ").Append(plan.Unchanged).Append('\n');
        return text.ToString();
    }
}
