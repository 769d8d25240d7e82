using System.Globalization;
using System.Text;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// Renders keepalived.conf for one group: VRRP v3, unicast adverts to the partners, every box starts as
/// BACKUP (the election decides, so a restarted box never grabs the site), two track files with weight 0 (a
/// non-zero value puts the instance in FAULT: backbone down, drained) and the notify FIFO the agent reads.
/// Pure: the same spec and paths give the same text, which is how the supervisor sees a change.
/// </summary>
public static class KeepalivedConfig
{
    public static string InstanceName(HaSpec spec) => "bc_" + spec.Vrid.ToString(CultureInfo.InvariantCulture);

    public static string Render(HaSpec spec, HaPaths paths, string serial)
    {
        var i = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Written by branch-connector from the batch's ha topic; rewritten on every apply, do not edit.");
        sb.AppendLine("global_defs {");
        sb.AppendLine(i, $"  router_id {RouterId(serial)}");
        sb.AppendLine("  vrrp_version 3");
        sb.AppendLine(i, $"  notify_fifo {paths.Fifo}");
        // Gratuitous ARP / unsolicited NA at once on becoming master and once more a second later: LAN hosts
        // move to the new master's MAC without waiting for their neighbour entries to expire.
        sb.AppendLine("  vrrp_garp_master_delay 1");
        sb.AppendLine("  vrrp_garp_master_repeat 3");
        sb.AppendLine("}");
        sb.AppendLine();
        Track(sb, "bc_backbone", paths.BackboneTrack);
        Track(sb, "bc_drain", paths.DrainTrack);
        sb.AppendLine(i, $"vrrp_instance {InstanceName(spec)} {{");
        sb.AppendLine("  state BACKUP");
        sb.AppendLine(i, $"  interface {spec.Interface}");
        sb.AppendLine(i, $"  virtual_router_id {spec.Vrid}");
        sb.AppendLine(i, $"  priority {spec.Priority}");
        sb.AppendLine(i, $"  advert_int {AdvertInt(spec.AdvertIntervalMs)}");
        if (!spec.Preempt) sb.AppendLine("  nopreempt");
        sb.AppendLine(i, $"  unicast_src_ip {spec.UnicastSource}");
        sb.AppendLine("  unicast_peer {");
        foreach (var peer in spec.Peers) sb.AppendLine(i, $"    {peer}");
        sb.AppendLine("  }");
        sb.AppendLine("  virtual_ipaddress {");
        foreach (var address in spec.VirtualAddresses) sb.AppendLine(i, $"    {address} dev {spec.Interface}");
        sb.AppendLine("  }");
        sb.AppendLine("  track_file {");
        sb.AppendLine("    bc_backbone");
        sb.AppendLine("    bc_drain");
        sb.AppendLine("  }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Seconds with up to two decimals: VRRPv3 counts centiseconds (the decoder only lets multiples of 10 ms in).</summary>
    public static string AdvertInt(int ms) => (ms / 1000m).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The serial, reduced to the characters a keepalived word may hold.</summary>
    private static string RouterId(string serial)
    {
        var id = new string(serial.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return id.Length == 0 ? "branch-connector" : id;
    }

    private static void Track(StringBuilder sb, string name, string file)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"vrrp_track_file {name} {{");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  file {file}");
        sb.AppendLine("  weight 0");
        sb.AppendLine("}");
        sb.AppendLine();
    }
}
