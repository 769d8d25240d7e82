using System.Net;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// `ha`: `{ "group", "vrid", "interface", "virtual_addresses", "priority", "peers", "advert_interval_ms", "preempt" }`.
/// <see cref="Read"/> checks the body alone; <see cref="Check"/> runs once the whole batch is read, because
/// the virtual addresses must lie inside the subnets the batch's `interface` topic gives that interface, and
/// the `interface` command may come after this one.
/// </summary>
internal sealed class HaTopic : Protocol.Topics.IBatchTopic
{
    public const string Name = "ha";
    public const int MinAdvertIntervalMs = 10;
    /// <summary>VRRPv3 carries the interval in centiseconds in 12 bits: 4095 cs.</summary>
    public const int MaxAdvertIntervalMs = 40950;

    /// <summary>The body as read; the unicast source is filled in by <see cref="Check"/>.</summary>
    public static HaSpec? Read(ObjectReader body)
    {
        var group = body.String("group", required: true);
        if (group is not null && (group.Length is 0 or > 64 || group.Any(char.IsControl)))
        {
            body.Errors.Invalid(body.PathOf("group"), "must be 1 to 64 printable characters");
            group = null;
        }
        var vrid = body.Int("vrid", true, 1, 255);
        var name = body.InterfaceNameField("interface", required: true);
        var virtuals = body.InterfaceAddressList("virtual_addresses", required: true, FamilyRule.Any);
        if (body.Has("virtual_addresses") && virtuals.Count == 0 && !body.Errors.HasErrorAtOrUnder(body.PathOf("virtual_addresses")))
            body.Errors.Invalid(body.PathOf("virtual_addresses"), "needs at least one virtual address");
        var priority = body.Int("priority", false, 1, 254) ?? (body.Has("priority") ? null : HaSpec.DefaultPriority);
        var peers = ReadPeers(body);
        var interval = body.Int("advert_interval_ms", false, MinAdvertIntervalMs, MaxAdvertIntervalMs) ?? (body.Has("advert_interval_ms") ? null : HaSpec.DefaultAdvertIntervalMs);
        if (interval is { } ms && ms % 10 != 0)
        {
            body.Errors.Invalid(body.PathOf("advert_interval_ms"), $"{ms} is not a multiple of 10 (VRRPv3 counts centiseconds)");
            interval = null;
        }
        var preempt = body.Bool("preempt") ?? true;
        CheckFamilies(body, virtuals, peers);

        if (group is null || vrid is null || name is null || virtuals.Count == 0 || priority is null || peers is null || interval is null) return null;
        return new HaSpec(group, vrid.Value, name, virtuals.Select(v => v.ToString()).ToEquatableList(), priority.Value,
            peers.Select(p => p.Address.ToString()).ToEquatableList(), interval.Value, preempt, "");
    }

    /// <summary>
    /// The cross-topic rules: the interface is one the batch configures, every virtual address and peer lies in
    /// one of its subnets, and none is the box's own address. Returns the spec with its unicast source.
    /// </summary>
    public static HaSpec? Check(HaSpec? spec, EquatableList<InterfaceSpec> interfaces, ObjectReader body)
    {
        if (spec is null) return null;
        var errors = body.Errors;
        var link = interfaces.FirstOrDefault(i => i.Name == spec.Interface);
        if (link is null)
        {
            errors.Invalid(body.PathOf("interface"), $"interface '{spec.Interface}' is not in the batch's interface topic (its subnets bound the virtual addresses)");
            return null;
        }
        var own = link.Addresses.Select(Parse).ToList();
        var ok = true;
        for (var i = 0; i < spec.VirtualAddresses.Count; i++)
        {
            var vip = Parse(spec.VirtualAddresses[i]);
            var path = JsonPaths.Element(body.PathOf("virtual_addresses"), i);
            if (own.Any(o => o.Address.Equals(vip.Address)))
            {
                errors.Invalid(path, $"{vip} is {spec.Interface}'s own address; a virtual address must be a third one");
                ok = false;
            }
            else if (!own.Any(o => o.Contains(vip.Address)))
            {
                errors.Invalid(path, $"{vip} is outside the subnets of {spec.Interface} ({Subnets(own)})");
                ok = false;
            }
        }
        for (var i = 0; i < spec.Peers.Count; i++)
        {
            var peer = IPAddress.Parse(spec.Peers[i]);
            var path = JsonPaths.Element(body.PathOf("peers"), i);
            if (own.Any(o => o.Address.Equals(peer)))
            {
                errors.Invalid(path, $"{peer} is this box's own address on {spec.Interface}, not a partner's");
                ok = false;
            }
            else if (!own.Any(o => o.Contains(peer)))
            {
                errors.Invalid(path, $"{peer} is outside the subnets of {spec.Interface} ({Subnets(own)}): adverts go to partners on the LAN");
                ok = false;
            }
        }
        var first = Parse(spec.VirtualAddresses[0]);
        var source = own.FirstOrDefault(o => o.Contains(first.Address));
        return ok && source is not null ? spec with { UnicastSource = source.Address.ToString() } : null;
    }

    private static List<(IPAddress Address, string Path)>? ReadPeers(ObjectReader body)
    {
        var entries = body.Strings("peers", required: true);
        if (!body.Has("peers")) return null;
        var result = new List<(IPAddress, string)>();
        var bad = false;
        foreach (var (text, path) in entries)
        {
            if (!IpText.TryParse(text, out var address))
            {
                body.Errors.Invalid(path, $"'{Printable.Clip(text)}' is not an IP address");
                bad = true;
            }
            else if (result.Any(r => r.Item1.Equals(address)))
            {
                body.Errors.Invalid(path, $"peer {address} is listed twice");
                bad = true;
            }
            else result.Add((address, path));
        }
        if (!bad && result.Count == 0 && !body.Errors.HasErrorAtOrUnder(body.PathOf("peers")))
        {
            body.Errors.Invalid(body.PathOf("peers"), "needs at least one partner address (adverts are unicast)");
            bad = true;
        }
        return bad ? null : result;
    }

    /// <summary>keepalived runs one address family per VRRP instance: virtual addresses and peers share it.</summary>
    private static void CheckFamilies(ObjectReader body, List<Cidr> virtuals, List<(IPAddress Address, string Path)>? peers)
    {
        if (virtuals.Count == 0) return;
        var v4 = virtuals[0].IsIPv4;
        for (var i = 1; i < virtuals.Count; i++)
            if (virtuals[i].IsIPv4 != v4)
                body.Errors.Invalid(JsonPaths.Element(body.PathOf("virtual_addresses"), i), $"{virtuals[i]} is not {virtuals[0].Address.FamilyName()} like {virtuals[0]}: one group is one address family");
        foreach (var (address, path) in peers ?? [])
            if (address.IsIPv4() != v4)
                body.Errors.Invalid(path, $"peer {address} is not {virtuals[0].Address.FamilyName()} like the virtual addresses");
    }

    private static Cidr Parse(string text)
    {
        Cidr.TryParse(text, bareIsHost: true, out var cidr);
        return cidr;
    }

    private static string Subnets(IEnumerable<Cidr> own)
    {
        var list = own.Select(o => new Cidr(o.Network, o.Prefix).ToString()).ToList();
        return list.Count == 0 ? "it has no addresses" : string.Join(", ", list);
    }

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string Protocol.Topics.IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Ha = Read(body) };
    public DesiredConfig Check(DesiredConfig config, ObjectReader body) => config with { Ha = Check(config.Ha, config.Interfaces, body) };
}
