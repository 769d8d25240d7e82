using System.Globalization;
using System.Text;
using System.Text.Json;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>What the read-only commands print (iproute2 6.x JSON, as in tests/…/golden/*.json), and a plain dump of the whole state.</summary>
public sealed partial class FakeKernel
{
    private string AddrJson() => Json(w =>
    {
        foreach (var l in _links)
        {
            w.WriteStartObject();
            w.WriteNumber("ifindex", l.Index);
            w.WriteString("ifname", l.Name);
            w.WriteStartArray("flags");
            if (l.Name == "lo") w.WriteStringValue("LOOPBACK"); else w.WriteStringValue("BROADCAST");
            if (l.Up) { w.WriteStringValue("UP"); w.WriteStringValue("LOWER_UP"); }
            w.WriteEndArray();
            w.WriteNumber("mtu", l.Mtu);
            w.WriteString("operstate", l.Up ? "UNKNOWN" : "DOWN");
            if (l.Kind is { } kind)
            {
                w.WriteStartObject("linkinfo");
                w.WriteString("info_kind", kind);
                w.WriteEndObject();
            }
            w.WriteStartArray("addr_info");
            foreach (var a in l.Addresses.OrderBy(a => Addr.Family(a)))
            {
                var (address, length) = Addr.Split(a);
                w.WriteStartObject();
                w.WriteString("family", Addr.Family(a) == IpFamily.V4 ? "inet" : "inet6");
                w.WriteString("local", address.ToString());
                w.WriteNumber("prefixlen", length);
                w.WriteString("scope", address.IsIPv6LinkLocal ? "link" : l.Name == "lo" ? "host" : "global");
                w.WriteNumber("valid_life_time", 4294967295);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    });

    /// <summary>`ip -N -j route show table all proto 188`: with the proto filter ip prints no "protocol".</summary>
    private string RouteJson(IpFamily family) => Json(w =>
    {
        foreach (var r in Routes.Where(r => r.Family == family && r.Protocol == 188))
        {
            var (address, length) = Addr.Split(r.Destination);
            w.WriteStartObject();
            w.WriteString("dst", length == 0 ? "default" : length == Addr.HostLength(family) ? address.ToString() : r.Destination);
            if (r.Gateway is not null) w.WriteString("gateway", r.Gateway);
            w.WriteString("dev", r.Device);
            if (r.Table != 254) w.WriteString("table", r.Table.ToString(CultureInfo.InvariantCulture));
            if (family == IpFamily.V4 && r.Gateway is null) w.WriteString("scope", "253");
            if (family == IpFamily.V6 || r.Metric != 0) w.WriteNumber("metric", r.Metric);
            w.WriteStartArray("flags");
            if (r.Onlink) w.WriteStringValue("onlink");
            w.WriteEndArray();
            if (family == IpFamily.V6) w.WriteString("pref", "medium");
            w.WriteEndObject();
        }
    });

    private string RuleJson(IpFamily family) => Json(w =>
    {
        foreach (var r in Rules.Where(r => r.Family == family))
        {
            w.WriteStartObject();
            w.WriteNumber("priority", r.Priority);
            if (r.Invert) w.WriteNull("not");
            Selector(w, "src", "srclen", r.From, family, all: true);
            Selector(w, "dst", "dstlen", r.To, family, all: false);
            if (r.Iif is not null) w.WriteString("iif", r.Iif);
            if (r.Fwmark is { } mark) w.WriteString("fwmark", "0x" + mark.ToString("x", CultureInfo.InvariantCulture));
            if (r.Table is { } table) w.WriteString("table", table.ToString(CultureInfo.InvariantCulture));
            if (r.Suppress is { } suppress) w.WriteNumber("suppress_prefixlen", suppress);
            w.WriteEndObject();
        }
    });

    private static void Selector(Utf8JsonWriter w, string key, string lengthKey, string? cidr, IpFamily family, bool all)
    {
        if (cidr is null)
        {
            if (all) w.WriteString(key, "all");
            return;
        }
        var (address, length) = Addr.Split(cidr);
        w.WriteString(key, address.ToString());
        if (length != Addr.HostLength(family)) w.WriteNumber(lengthKey, length);
    }

    private static string Json(Action<Utf8JsonWriter> items)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            items(w);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// Every object as one text line ("route …", "rule …", "fw4 filter INPUT -A INPUT …"), for whole-state
    /// comparisons: sorted, except firewall rules, which follow in chain order (order is part of a ruleset).
    /// </summary>
    public IReadOnlyList<string> Dump(Func<string, bool>? keep = null)
    {
        var lines = new List<string>();
        foreach (var l in _links)
        {
            lines.Add($"link {l.Name} mtu {l.Mtu} {(l.Up ? "up" : "down")} kind {l.Kind ?? "-"}");
            lines.AddRange(l.Addresses.Select(a => $"address {a} dev {l.Name}"));
        }
        lines.AddRange(Routes.Select(r => $"route {r.Destination} via {r.Gateway ?? "-"} dev {r.Device} metric {r.Metric} table {r.Table} proto {r.Protocol}{(r.Onlink ? " onlink" : "")}"));
        lines.AddRange(Rules.Select(r => $"rule {r.Family} {r.Priority} {(r.Invert ? "not " : "")}from {r.From ?? "all"} to {r.To ?? "all"} fwmark {r.Fwmark?.ToString(CultureInfo.InvariantCulture) ?? "-"} table {r.Table?.ToString(CultureInfo.InvariantCulture) ?? "-"} suppress {r.Suppress?.ToString(CultureInfo.InvariantCulture) ?? "-"} iif {r.Iif ?? "-"}"));
        foreach (var (name, d) in _wg)
        {
            lines.Add($"wg {name} port {d.ListenPort} fwmark {d.Fwmark} key {(d.PrivateKey is null ? "-" : PublicKeyOf(d.PrivateKey))}");
            lines.AddRange(d.Peers.Select(p => $"wg {name} peer {p.PublicKey} psk {(p.PresharedKey is null ? "-" : "set")} endpoint {p.Endpoint ?? "-"} allowed {string.Join(',', p.AllowedIps.Order(StringComparer.Ordinal))} keepalive {p.PersistentKeepalive} handshake {p.LatestHandshake}"));
        }
        lines.AddRange(States.Select(s => $"sa {s.Source} -> {s.Destination} spi {s.Spi:x8} reqid {s.Reqid:x8} {s.Mode} {s.Aead} key {s.KeyHex[..8]}… icv {s.IcvBits} encap {s.EncapType ?? "-"} {s.EncapSport} {s.EncapDport} mark {s.Mark?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
        lines.AddRange(Policies.Select(p => $"policy {p.Dir} {p.Source} -> {p.Destination} {p.Upper ?? ""} priority {p.Priority} mark {p.Mark?.ToString(CultureInfo.InvariantCulture) ?? "-"} tmpl {string.Join(";", p.Templates)}"));
        var rules = new List<string>();
        foreach (var (label, netfilter) in new[] { ("fw4", Netfilter4), ("fw6", Netfilter6) })
        {
            string? table = null;
            foreach (var line in netfilter.Save("iptables-save").Split('\n'))
            {
                if (line.StartsWith('*')) { table = line[1..]; continue; }
                if (line.StartsWith(':')) { lines.Add($"{label} {table} chain {line[1..].Split(' ')[0]}"); continue; }
                if (line.StartsWith("-A ", StringComparison.Ordinal)) rules.Add($"{label} {table} {line}");
            }
        }
        keep ??= _ => true;
        return [.. lines.Where(keep).Order(StringComparer.Ordinal), .. rules.Where(keep)];
    }
}
