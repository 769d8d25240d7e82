using System.Globalization;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// The conntrack half of the full tunnel (wg-quick's mangle rules). Packets sent with the tunnel's fwmark (the
/// encrypted WireGuard packets, and the agent's own MQTT and STUN sockets) leave by the WAN; their replies arrive
/// unmarked, and the reverse-path lookup without the mark would pick the tunnel table, so rp_filter=1 drops them.
/// Saving the mark into the connection and restoring it onto its replies (with src_valid_mark=1) fixes that.
/// Unlike wg-quick, not limited to UDP (the MQTT connection is TCP), and the restore touches only connections
/// carrying our mark, so packets of other connections keep whatever mark someone else gave them.
/// </summary>
internal static class ConnmarkRenderer
{
    private const string Masks = "--nfmask 0xffffffff --ctmask 0xffffffff";

    public static string Restore(uint fwmark) =>
        new RuleText(OwnChain.ConnmarkRestore).Match("-m connmark --mark " + Hex(fwmark)).Jump("CONNMARK --restore-mark " + Masks);

    public static string Save(uint fwmark) =>
        new RuleText(OwnChain.ConnmarkSave).Match("-m mark --mark " + Hex(fwmark)).Jump("CONNMARK --save-mark " + Masks);

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
