using System.Globalization;
using System.Net;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Protocol.Values;

/// <summary>An address with a prefix length, as text "address/prefix" in canonical form.</summary>
public sealed record Cidr(IPAddress Address, int Prefix)
{
    public bool IsIPv4 => Address.IsIPv4();
    public int MaxPrefix => IsIPv4 ? 32 : 128;

    /// <summary>The address with its host bits cleared.</summary>
    public IPAddress Network
    {
        get
        {
            var bytes = Address.GetAddressBytes();
            for (var bit = Prefix; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            return new IPAddress(bytes);
        }
    }

    public bool HasHostBits => !Network.Equals(Address);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == Address.AddressFamily && new Cidr(address, Prefix).Network.Equals(Network);

    /// <summary>Two prefixes overlap when the shorter one contains the other's network.</summary>
    public bool Overlaps(Cidr other)
    {
        if (other.Address.AddressFamily != Address.AddressFamily) return false;
        var shorter = Prefix <= other.Prefix ? this : other;
        var longer = ReferenceEquals(shorter, this) ? other : this;
        return shorter.Contains(longer.Network);
    }

    public override string ToString() => $"{Address}/{Prefix.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses "address/prefix" (or a bare address when <paramref name="bareIsHost"/>: /32 or /128). Returns the problem, or null.</summary>
    public static string? TryParse(string text, bool bareIsHost, out Cidr cidr)
    {
        cidr = new Cidr(IPAddress.None, 0);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IpText.TryParse(addressText, out var address)) return $"'{Reading.Printable.Clip(text)}' is not an IP prefix (address/length)";
        var max = address.IsIPv4() ? 32 : 128;
        if (slash < 0)
        {
            if (!bareIsHost) return $"'{Reading.Printable.Clip(text)}' needs a prefix length (address/length)";
            cidr = new Cidr(address, max);
            return null;
        }
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length is 0 or > 3 || prefixText.Any(c => c is < '0' or > '9') || (prefixText.Length > 1 && prefixText[0] == '0')
            || int.Parse(prefixText, CultureInfo.InvariantCulture) > max)
            return $"'{Reading.Printable.Clip(text)}' has a bad prefix length (0..{max.ToString(CultureInfo.InvariantCulture)})";
        cidr = new Cidr(address, int.Parse(prefixText, CultureInfo.InvariantCulture));
        return null;
    }
}
