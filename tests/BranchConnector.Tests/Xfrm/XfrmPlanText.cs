using System.Globalization;
using System.Text;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Xfrm;

/// <summary>An xfrm plan as reviewable text, stdin shown as <c>DisplayStdin</c> (keys redacted), each line with its change.</summary>
internal static class XfrmPlanText
{
    public static string Render(XfrmPlan plan)
    {
        var text = new StringBuilder();
        Append(text, "states", plan.States);
        Append(text, "policies", plan.Policies);
        text.Append("retiring:\n");
        foreach (var r in plan.Retiring)
            text.Append("  ").Append(r.Destination).Append(" spi 0x").Append(r.Spi.ToString("x8", CultureInfo.InvariantCulture))
                .Append(" reqid 0x").Append(r.Reqid.ToString("x8", CultureInfo.InvariantCulture))
                .Append(" remove after ").Append(r.RemoveAfter.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    private static void Append(StringBuilder text, string title, SubsystemPlan plan)
    {
        text.Append("== ").Append(title).Append(" (unchanged ").Append(plan.Unchanged).Append(")\n");
        foreach (var command in plan.Commands)
        {
            text.Append("$ ").Append(command.Request.CommandLine).Append(command.IsRemoval ? "   # removal" : "")
                .Append(command.Request.StdinIsSecret ? "   # secret stdin" : "").Append(" [stage ").Append(command.Stage).Append("]\n");
            var lines = (command.Request.DisplayStdin ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < lines.Length; i++)
                text.Append("  ").Append(lines[i]).Append("\n     # ").Append(i < command.Changes.Count ? command.Changes[i].ToString() : "NO CHANGE").Append('\n');
        }
    }
}
