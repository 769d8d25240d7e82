using System.Globalization;

namespace BranchConnector.Agent.Status;

/// <summary>The one line systemd shows (`systemctl status`, STATUS=), from facts the daemon has without running a command.</summary>
public static class StatusSummary
{
    /// <param name="backboneActive">null: no backbone configured.</param>
    public static string Line(string serial, string state, bool brokerConnected, long? configSequence, bool configSucceeded, bool? backboneActive, int warnings)
    {
        var parts = new List<string>
        {
            state,
            brokerConnected ? "broker connected" : "broker disconnected",
            configSequence is { } seq ? string.Create(CultureInfo.InvariantCulture, $"config {seq}{(configSucceeded ? "" : " failed")}") : "no config",
            backboneActive switch { null => "no backbone", true => "backbone active", false => "backbone down" },
        };
        if (warnings > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{warnings} warning{(warnings == 1 ? "" : "s")}"));
        return $"{serial}: {string.Join(", ", parts)}";
    }
}
