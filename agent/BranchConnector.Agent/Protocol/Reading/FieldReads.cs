using System.Net;
using System.Text.Json;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>Reads of the value kinds the protocol shares (names, prefixes, addresses, endpoints, keys), each checked and canonicalized.</summary>
internal static class FieldReads
{
    public static string? InterfaceNameField(this ObjectReader reader, string key, bool required)
    {
        var name = reader.String(key, required);
        if (name is null) return null;
        var problem = InterfaceName.Problem(name);
        if (problem is null) return name;
        reader.Errors.Invalid(reader.PathOf(key), problem);
        return null;
    }

    /// <summary>A prefix network ("10.0.0.0/8"; a bare address is a host prefix). Host bits set is an error.</summary>
    public static Cidr? Network(string text, string path, ErrorCollector errors, FamilyRule family)
    {
        var problem = Cidr.TryParse(text, bareIsHost: true, out var cidr);
        if (problem is null && family == FamilyRule.IPv4 && !cidr.IsIPv4) problem = $"'{Printable.Clip(text)}' must be an IPv4 prefix";
        if (problem is null && cidr.HasHostBits) problem = $"'{Printable.Clip(text)}' has host bits set (did you mean {new Cidr(cidr.Network, cidr.Prefix)}?)";
        if (problem is null) return new Cidr(cidr.Network, cidr.Prefix);
        errors.Invalid(path, problem);
        return null;
    }

    /// <summary>An interface address with its prefix ("192.168.10.1/24"); host bits are the point.</summary>
    public static Cidr? InterfaceAddress(string text, string path, ErrorCollector errors, FamilyRule family)
    {
        var problem = Cidr.TryParse(text, bareIsHost: false, out var cidr);
        if (problem is null && family == FamilyRule.IPv4 && !cidr.IsIPv4) problem = $"'{Printable.Clip(text)}' must be an IPv4 address";
        if (problem is null) return cidr;
        errors.Invalid(path, problem);
        return null;
    }

    public static Cidr? NetworkField(this ObjectReader reader, string key, bool required, FamilyRule family)
    {
        var text = reader.String(key, required);
        return text is null ? null : Network(text, reader.PathOf(key), reader.Errors, family);
    }

    /// <summary>A list of prefix networks; a repeated prefix is an error at its second position.</summary>
    public static List<Cidr> NetworkList(this ObjectReader reader, string key, bool required, FamilyRule family) =>
        reader.NetworkEntries(key, required, family).Select(e => e.Cidr).ToList();

    /// <summary>Like <see cref="NetworkList"/>, with each prefix's own path for later cross-checks.</summary>
    public static List<(Cidr Cidr, string Path)> NetworkEntries(this ObjectReader reader, string key, bool required, FamilyRule family) =>
        DistinctList(reader, key, required, (text, path) => Network(text, path, reader.Errors, family));

    public static List<Cidr> InterfaceAddressList(this ObjectReader reader, string key, bool required, FamilyRule family) =>
        DistinctList(reader, key, required, (text, path) => InterfaceAddress(text, path, reader.Errors, family)).Select(e => e.Cidr).ToList();

    private static List<(Cidr Cidr, string Path)> DistinctList(ObjectReader reader, string key, bool required, Func<string, string, Cidr?> parse)
    {
        var result = new List<(Cidr, string)>();
        foreach (var (text, path) in reader.Strings(key, required))
        {
            var cidr = parse(text, path);
            if (cidr is null) continue;
            if (result.Any(e => e.Item1.Equals(cidr))) reader.Errors.Invalid(path, $"'{cidr}' is listed twice");
            else result.Add((cidr, path));
        }
        return result;
    }

    public static IPAddress? AddressField(this ObjectReader reader, string key, bool required, FamilyRule family)
    {
        var text = reader.String(key, required);
        if (text is null) return null;
        if (!IpText.TryParse(text, out var address))
            reader.Errors.Invalid(reader.PathOf(key), $"'{Printable.Clip(text)}' is not an IP address");
        else if (family == FamilyRule.IPv4 && !address.IsIPv4())
            reader.Errors.Invalid(reader.PathOf(key), $"'{Printable.Clip(text)}' must be an IPv4 address");
        else return address;
        return null;
    }

    public static Endpoint? Endpoint(string text, string path, ErrorCollector errors, bool allowHostname, FamilyRule family)
    {
        var problem = HostPort.TryParse(text, allowHostname, family, out var endpoint);
        if (problem is null) return endpoint;
        errors.Invalid(path, problem);
        return null;
    }

    public static Endpoint? EndpointField(this ObjectReader reader, string key, bool required, bool allowHostname, FamilyRule family)
    {
        var text = reader.String(key, required);
        return text is null ? null : Endpoint(text, reader.PathOf(key), reader.Errors, allowHostname, family);
    }

    /// <summary>A WireGuard key (public or preshared); the message never shows the value.</summary>
    public static string? WireGuardKeyField(this ObjectReader reader, string key, bool required)
    {
        var text = reader.String(key, required);
        if (text is null) return null;
        var problem = WireGuardKey.Problem(text);
        if (problem is null) return text;
        reader.Errors.Invalid(reader.PathOf(key), problem);
        return null;
    }

    public static string? PortListField(this ObjectReader reader, string key)
    {
        if (!reader.Element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        // A single port may come as a JSON integer.
        var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : reader.String(key);
        if (text is null) return null;
        var problem = PortList.TryParse(text, out var multiport);
        if (problem is null) return multiport;
        reader.Errors.Invalid(reader.PathOf(key), problem);
        return null;
    }
}
