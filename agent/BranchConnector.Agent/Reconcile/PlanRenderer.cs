using System.Text;

namespace BranchConnector.Agent.Reconcile;

/// <summary>A plan as text: each command line, then its stdin indented (secret stdin redacted). For `render` and golden tests.</summary>
public static class PlanRenderer
{
    public static string Render(ReconcilePlan plan)
    {
        var sb = new StringBuilder();
        foreach (var problem in plan.Problems) sb.Append("! ").Append(problem.Message).Append('\n');
        foreach (var command in plan.Commands)
        {
            sb.Append("$ ").Append(command.Request.CommandLine).Append('\n');
            if (command.Request.DisplayStdin is { } stdin)
                foreach (var line in stdin.Split('\n', StringSplitOptions.RemoveEmptyEntries)) sb.Append("    ").Append(line).Append('\n');
        }
        return sb.ToString();
    }
}
