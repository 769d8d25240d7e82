namespace BranchConnector.Agent.Ha;

/// <summary>What keepalived reports for a VRRP instance on its notify FIFO.</summary>
public enum VrrpEvent { Backup, Master, Fault, Stop }

/// <summary>
/// One line of keepalived's notify FIFO: `INSTANCE "bc_42" MASTER 150`. Other kinds of line (GROUP, and
/// the checker's) and anything unreadable are null: the FIFO is keepalived's, not ours, and may say more.
/// </summary>
public sealed record NotifyLine(string Instance, VrrpEvent Event, int Priority)
{
    public static NotifyLine? Parse(string line)
    {
        var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] != "INSTANCE" || parts[1].Length < 3 || parts[1][0] != '"' || parts[1][^1] != '"') return null;
        VrrpEvent? ev = parts[2] switch
        {
            "BACKUP" => VrrpEvent.Backup,
            "MASTER" => VrrpEvent.Master,
            "FAULT" => VrrpEvent.Fault,
            "STOP" => VrrpEvent.Stop,
            _ => null,
        };
        if (ev is null) return null;
        var priority = parts.Length > 3 && int.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 0;
        return new NotifyLine(parts[1][1..^1], ev.Value, priority);
    }
}
