using System.Globalization;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>The `ip` link, address, route and rule verbs the agent's batches use.</summary>
public sealed partial class FakeKernel
{
    private void BatchLine(IpFamily batchFamily, List<string> w)
    {
        switch (w)
        {
            case ["address", "add", var cidr, "dev", var dev]: AddAddress(dev, cidr); break;
            case ["address", "del", var cidr, "dev", var dev]: DeleteAddress(dev, cidr); break;
            case ["link", "set", "dev", var dev, "mtu", var mtu]: Device(dev).Mtu = Int(mtu); break;
            case ["link", "set", "dev", var dev, "up"]: Device(dev).Up = true; break;
            case ["route", "add", ..]: AddRoute(w.Skip(2).ToList(), replace: false); break;
            case ["route", "replace", ..]: AddRoute(w.Skip(2).ToList(), replace: true); break;
            case ["route", "del", ..]: DeleteRoute(w.Skip(2).ToList()); break;
            case ["rule", "add", ..]: AddRule(ParseRule(batchFamily, w.Skip(2).ToList())); break;
            case ["rule", "del", ..]: DeleteRule(ParseRule(batchFamily, w.Skip(2).ToList())); break;
            case ["xfrm", "state", ..]: XfrmState(w.Skip(2).ToList()); break;
            case ["xfrm", "policy", ..]: XfrmPolicy(w.Skip(2).ToList()); break;
            default: throw new NotSupportedException($"fake kernel: unmodelled batch line: {string.Join(' ', w)}");
        }
    }

    private void CreateLink(string name, string kind)
    {
        if (Link(name) is not null) throw new KernelError("RTNETLINK answers: File exists");
        // A new WireGuard link is down, MTU 1420, like the kernel's; wireguard-go's tun likewise.
        AddLink(name, 1420, up: false, kind);
        _wg[name] = new FakeWgDevice { ListenPort = 0 };
    }

    private void DeleteLink(string name)
    {
        var link = Device(name);
        _links.Remove(link);
        _wg.Remove(name);
        // The kernel flushes every route through a vanished device, whatever its protocol.
        Routes.RemoveAll(r => r.Device == name);
    }

    private void AddAddress(string dev, string cidr)
    {
        var link = Device(dev);
        var address = Addr.Interface(cidr);
        if (link.Addresses.Contains(address)) throw new KernelError("RTNETLINK answers: File exists");
        link.Addresses.Add(address);
    }

    private void DeleteAddress(string dev, string cidr)
    {
        var link = Device(dev);
        if (!link.Addresses.Remove(Addr.Interface(cidr))) throw new KernelError("RTNETLINK answers: Cannot assign requested address");
    }

    private void AddRoute(List<string> w, bool replace)
    {
        var destination = Addr.Network(w[0]);
        var family = Addr.Family(destination);
        string? gateway = null, dev = null;
        int? metric = null;
        var table = 254;
        var protocol = 3; // boot, what ip uses without "proto"
        var onlink = false;
        for (var i = 1; i < w.Count; i++)
        {
            switch (w[i])
            {
                case "via": gateway = Addr.Parse(w[++i]).ToString(); break;
                case "dev": dev = w[++i]; break;
                case "onlink": onlink = true; break;
                case "metric": metric = Int(w[++i]); break;
                case "table": table = Int(w[++i]); break;
                case "proto": protocol = Int(w[++i]); break;
                default: throw new NotSupportedException($"fake kernel: route option {w[i]}");
            }
        }
        if (gateway is not null && Addr.Family(gateway) != family) throw new KernelError("Error: Gateway address family does not match.");
        var device = dev is null ? GatewayDevice(gateway) : Device(dev);
        if (!device.Up) throw new KernelError("RTNETLINK answers: Network is down");
        if (gateway is not null && !onlink && !device.Addresses.Any(a => Addr.Contains(a, Addr.Parse(gateway))))
            throw new KernelError("RTNETLINK answers: Nexthop has invalid gateway");
        var route = new FakeRoute(family, destination, gateway, device.Name, EffectiveMetric(family, metric), table, protocol, onlink);
        var existing = Routes.FindIndex(r => r.Key == route.Key);
        if (existing >= 0 && !replace) throw new KernelError("RTNETLINK answers: File exists");
        if (existing >= 0) Routes[existing] = route; else Routes.Add(route);
    }

    private FakeLink GatewayDevice(string? gateway)
    {
        if (gateway is null) throw new KernelError("Error: either \"to\" is duplicate, or \"dev\" is missing.");
        var address = Addr.Parse(gateway);
        return _links.FirstOrDefault(l => l.Up && l.Addresses.Any(a => Addr.Contains(a, address)))
            ?? throw new KernelError("RTNETLINK answers: Network is unreachable");
    }

    private void DeleteRoute(List<string> w)
    {
        var destination = Addr.Network(w[0]);
        var family = Addr.Family(destination);
        int? metric = null, protocol = null;
        var table = 254;
        for (var i = 1; i < w.Count; i++)
        {
            switch (w[i])
            {
                case "metric": metric = Int(w[++i]); break;
                case "table": table = Int(w[++i]); break;
                case "proto": protocol = Int(w[++i]); break;
                default: throw new NotSupportedException($"fake kernel: route del option {w[i]}");
            }
        }
        var key = (family, destination, table, EffectiveMetric(family, metric));
        var index = Routes.FindIndex(r => r.Key == key && (protocol is null || r.Protocol == protocol));
        if (index < 0) throw new KernelError("RTNETLINK answers: No such process");
        Routes.RemoveAt(index);
    }

    private static int EffectiveMetric(IpFamily family, int? metric) =>
        family == IpFamily.V6 ? (metric is null or 0 ? 1024 : metric.Value) : metric ?? 0;

    private static FakeRule ParseRule(IpFamily family, List<string> w)
    {
        int? priority = null, table = null, suppress = null;
        string? from = null, to = null;
        uint? mark = null;
        var invert = false;
        for (var i = 0; i < w.Count; i++)
        {
            switch (w[i])
            {
                case "priority": priority = Int(w[++i]); break;
                case "not": invert = true; break;
                case "from": from = Selector(family, w[++i]); break;
                case "to": to = Selector(family, w[++i]); break;
                case "fwmark": mark = Mark(w[++i]); break;
                case "table": table = Int(w[++i]); break;
                case "suppress_prefixlength": suppress = Int(w[++i]); break;
                default: throw new NotSupportedException($"fake kernel: rule option {w[i]}");
            }
        }
        return new FakeRule(family, priority ?? throw new NotSupportedException("fake kernel: rule without priority"), from, to, table, mark, invert, suppress);
    }

    private static string Selector(IpFamily family, string text)
    {
        var network = Addr.Network(text);
        if (Addr.Family(network) != family) throw new KernelError($"Error: {(family == IpFamily.V4 ? "inet" : "inet6")} prefix is expected rather than \"{text}\".");
        return network;
    }

    private void AddRule(FakeRule rule)
    {
        if (rule.Table is null) throw new KernelError("Error: Rule action is missing.");
        if (Rules.Contains(rule)) throw new KernelError("RTNETLINK answers: File exists");
        // Rules keep priority order; a new rule goes after those with the same priority.
        var at = Rules.FindLastIndex(r => r.Family == rule.Family && r.Priority <= rule.Priority);
        Rules.Insert(at + 1, rule);
    }

    /// <summary>The kernel deletes the first rule matching every attribute given; attributes not given match anything.</summary>
    private void DeleteRule(FakeRule want)
    {
        var index = Rules.FindIndex(r => r.Family == want.Family && r.Priority == want.Priority && r.Invert == want.Invert
            && (want.From is null || r.From == want.From) && (want.To is null || r.To == want.To)
            && (want.Table is null || r.Table == want.Table) && (want.Fwmark is null || r.Fwmark == want.Fwmark)
            && (want.Suppress is null || r.Suppress == want.Suppress));
        if (index < 0) throw new KernelError("RTNETLINK answers: No such file or directory");
        Rules.RemoveAt(index);
    }

    internal static int Int(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new KernelError($"Error: argument \"{text}\" is wrong: not a number");

    internal static uint Mark(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : uint.Parse(text, CultureInfo.InvariantCulture);
}
