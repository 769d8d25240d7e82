using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Tests.Routes;

namespace BranchConnector.Tests.Interfaces;

/// <summary>Real `ip -j -d addr show` output captured by Routes/golden/capture-ip-json.sh.</summary>
public class AddressParserTests
{
    public static IReadOnlyList<ObservedLink> Captured() => AddressParser.Parse(GoldenText.Read("addr.json"));

    [Fact]
    public void Parses_links_with_index_mtu_state_kind_and_canonical_addresses()
    {
        var links = Captured().ToDictionary(l => l.Name);
        Assert.Equal(["lo", "wan0", "lan0", "tun0"], Captured().Select(l => l.Name));

        Assert.Equal(new ObservedLink("lo", 1, 65536, true, null, ["127.0.0.1/8", "::1/128"]), links["lo"]);
        Assert.Equal(new ObservedLink("tun0", 4, 1420, true, "tun", ["10.255.0.2/32"]), links["tun0"]);

        var lan = links["lan0"];
        Assert.Equal((3, 1400, true, "veth"), (lan.Index, lan.Mtu, lan.Up, lan.Kind));
        Assert.Equal(["192.168.10.1/24", "192.168.11.1/24", "2001:db8:10::1/64"], lan.Addresses.Take(3));
        Assert.StartsWith("fe80::", lan.Addresses[3]);
        Assert.EndsWith("/64", lan.Addresses[3]);
    }

    [Fact]
    public void A_down_link_is_not_up()
    {
        var links = AddressParser.Parse("""[{"ifindex":7,"ifname":"eth9","flags":["BROADCAST","MULTICAST"],"mtu":1500,"addr_info":[]}]""");
        Assert.Equal(new ObservedLink("eth9", 7, 1500, false, null, []), Assert.Single(links));
    }

    [Fact]
    public void Observe_command_includes_details_for_the_kind()
    {
        Assert.Equal("ip -j -d addr show", AddressParser.Request.CommandLine);
    }
}
