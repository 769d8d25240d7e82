using System.Globalization;
using System.Text;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Status;

/// <summary>The human `status` view: one labelled line per subject, tunnels as an aligned table. Plain text, stable layout.</summary>
public static class StatusTable
{
    private const int LabelWidth = 10;

    public static string Render(StatusSnapshot s)
    {
        var text = new StringBuilder();
        var source = s.Source == StatusSnapshot.FromSnapshot ? "daemon not running: last persisted snapshot" : "live from the daemon";
        Line(text, "serial", $"{s.Serial} ({source})");
        Line(text, "state", s.State);
        Line(text, "agent", $"{s.AgentVersion}, up {Duration(s.UptimeS)}, wireguard {s.WireguardImplementation}, firewall {s.FirewallBackend}");
        Line(text, "broker", Broker(s.Broker));
        Line(text, "config", Document(s.Config));
        if (s.RunningConfig is { } runningConfig) Line(text, "  running", Running(runningConfig));
        Line(text, "peering", Document(s.Peering));
        if (s.RunningPeering is { } runningPeering) Line(text, "  running", Running(runningPeering));
        Line(text, "tunnels", s.Tunnels.Count == 0 ? "none" : "");
        AppendTunnels(text, s.Tunnels);
        Line(text, "objects", Invariant($"routes {s.Routes}, firewall rules {s.FirewallRules}, xfrm states {s.XfrmStates}"));
        Line(text, "stun", Stun(s.Stun));
        Line(text, "clock", Clock(s.Time));
        Line(text, "drift", Invariant($"{s.DriftRepairs} repairs"));
        Line(text, "warnings", s.Warnings.Count == 0 ? "none" : s.Warnings[0]);
        foreach (var w in s.Warnings.Skip(1)) Line(text, "", w);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append((label.PadRight(LabelWidth) + value).TrimEnd()).Append('\n');

    private static string Broker(BrokerStatusReport b)
    {
        var parts = new List<string> { b.Connected ? "connected" : "disconnected" };
        if (b.Url is not null) parts.Add(b.Url);
        if (b.Since is { } since) parts.Add("since " + Timestamp(since));
        if (!b.Connected && b.LastError is not null) parts.Add("last error: " + b.LastError);
        return string.Join("  ", parts);
    }

    private static string Document(DocumentStatusReport? d)
    {
        if (d is null) return "none";
        var parts = new List<string> { Invariant($"#{d.Sequence}"), d.Success ? "ok" : "failed" };
        if (d.AppliedAt is { } at) parts.Add("at " + Timestamp(at));
        parts.Add("hash " + (d.ConfigHash.Length > 12 ? d.ConfigHash[..12] : d.ConfigHash));
        if (d.Error is not null) parts.Add("error: " + d.Error);
        return string.Join("  ", parts);
    }

    /// <summary>The document the kernel carries when the newest one above it is not it.</summary>
    private static string Running(RunningDocumentReport d)
    {
        var parts = new List<string> { Invariant($"#{d.Sequence}"), "applied" };
        if (d.AppliedAt is { } at) parts.Add("at " + Timestamp(at));
        parts.Add("hash " + (d.ConfigHash.Length > 12 ? d.ConfigHash[..12] : d.ConfigHash));
        return string.Join("  ", parts);
    }

    private static void AppendTunnels(StringBuilder text, IReadOnlyList<TunnelStatusEntry> tunnels)
    {
        var rows = new List<string[]>();
        foreach (var t in tunnels)
        {
            rows.Add(["  " + t.Interface, t.Kind, t.Enabled ? t.Status : t.Status + " (disabled)", Endpoint(t.EndpointHost),
                t.Peers is null ? Handshake(t.HandshakeAgeS) : "", Traffic(t.RxBytes, t.TxBytes)]);
            foreach (var p in t.Peers ?? [])
                rows.Add(["    " + p.Serial, p.Path, p.Status, Endpoint(p.EndpointHost), Handshake(p.HandshakeAgeS), Traffic(p.RxBytes, p.TxBytes)]);
        }
        if (rows.Count == 0) return;
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
            text.Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
    }

    private static string Endpoint(string? host) => host is null ? "-" : host;

    private static string Handshake(long? ageS) => ageS is { } a ? "handshake " + Duration(a) + " ago" : "no handshake";

    private static string Traffic(long? rx, long? tx) => rx is null && tx is null ? "" : $"rx {Bytes(rx ?? 0)} tx {Bytes(tx ?? 0)}";

    private static string Stun(StunReport? s)
    {
        if (s is null) return "not checked";
        if (s.UdpBlocked) return "udp blocked (no STUN answer)" + (s.Server is null ? "" : " from " + s.Server);
        var parts = new List<string> { s.NatMapping };
        if (s.MappedAddress is not null) parts.Add("mapped " + s.MappedAddress);
        if (s.Server is not null) parts.Add("via " + s.Server);
        return string.Join("  ", parts);
    }

    private static string Clock(TimeReport? t)
    {
        if (t is null) return "offset unknown";
        var parts = new List<string>();
        parts.Add(t.OffsetMs is { } o ? Invariant($"offset {o / 1000.0:+0.000;-0.000;0.000} s") : "offset unknown");
        if (t.RttMs is { } rtt) parts.Add(Invariant($"rtt {rtt} ms"));
        parts.Add(t.NtpSynchronized switch { true => "ntp synchronized", false => "ntp NOT synchronized", null => "ntp unknown" });
        return string.Join("  ", parts);
    }

    public static string Duration(long seconds)
    {
        if (seconds < 60) return Invariant($"{seconds}s");
        if (seconds < 3600) return Invariant($"{seconds / 60}m{seconds % 60:00}s");
        if (seconds < 86400) return Invariant($"{seconds / 3600}h{seconds % 3600 / 60:00}m");
        return Invariant($"{seconds / 86400}d{seconds % 86400 / 3600:00}h");
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? Invariant($"{bytes} B") : Invariant($"{value:0.0} {units[unit]}");
    }

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
