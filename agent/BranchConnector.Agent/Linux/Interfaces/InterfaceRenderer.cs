using System.Globalization;

namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>`ip -batch` lines for links and addresses; the address text carries its family, so v4 and v6 share one batch.</summary>
public static class InterfaceRenderer
{
    public static string AddAddress(OwnedAddress a) => $"address add {a.Cidr} dev {a.Link}";
    public static string DeleteAddress(OwnedAddress a) => $"address del {a.Cidr} dev {a.Link}";
    public static string SetMtu(string link, int mtu) => $"link set dev {link} mtu {mtu.ToString(CultureInfo.InvariantCulture)}";
    public static string SetUp(string link) => $"link set dev {link} up";
}
