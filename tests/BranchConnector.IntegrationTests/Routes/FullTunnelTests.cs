using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Routes;

/// <summary>
/// A full tunnel on a hardened branch (rp_filter=1) whose broker and hub are reached only through the main
/// default route, as in the field: the agent's own MQTT connection must keep leaving by the WAN, the hub's
/// WireGuard replies must pass the reverse-path check, and going back to a split tunnel leaves the box as it was.
/// </summary>
public class FullTunnelTests
{
    [Fact]
    public async Task A_full_tunnel_on_a_strict_rp_filter_box_keeps_the_broker_and_back_to_split_restores_everything()
    {
        await using var lab = await BranchLab.StartAsync();
        var wan = $"wan{lab.World.Tag}";
        // No connected route towards the hub: only the default route reaches the broker and the WireGuard endpoint,
        // so a full tunnel would capture both if nothing kept them out.
        await lab.BranchAsync("ip", "addr", "del", BranchLab.BranchWan + "/24", "dev", wan);
        await lab.BranchAsync("ip", "addr", "add", BranchLab.BranchWan + "/32", "dev", wan);
        await lab.BranchAsync("ip", "route", "add", "default", "via", BranchLab.HubWan, "dev", wan, "onlink");
        await lab.BranchAsync("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=1", $"net.ipv4.conf.{wan}.rp_filter=1",
            "net.ipv4.conf.all.src_valid_mark=0");

        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
        // The hub routes replies for the branch's tunnel address and its LAN into the tunnel; the rest of the
        // hub's world (its data centre address) sits behind it.
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1))["success"]!.GetValue<bool>(), lab.Agent.Output);
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp), "split tunnel: LAN cannot reach the data centre\n" + lab.Agent.Output);
        var split = await KernelViewAsync(lab);
        var mainDefault = await lab.BranchAsync("ip", "-4", "route", "show", "default", "table", "main");
        var connectsBefore = Count(lab.Agent.Output, "MQTT connected to");

        await lab.TestHub.PublishBatchAsync(lab.Serial, FullTunnelBatch(lab, 2));
        var confirm = await lab.TestHub.WaitForConfirmAsync(lab.Serial, 2, TimeSpan.FromSeconds(5));
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString() + "\n" + lab.Agent.Output);

        Assert.Equal("1", (await lab.BranchAsync("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark")).Trim());
        Assert.Equal(mainDefault, await lab.BranchAsync("ip", "-4", "route", "show", "default", "table", "main"));
        var mangle = await lab.BranchAsync("iptables-save", "-t", "mangle");
        Assert.Contains("-A BC-CTMARK-IN -m connmark --mark 0xca6c -j CONNMARK --restore-mark", mangle, StringComparison.Ordinal);
        Assert.Contains("-A BC-CTMARK-OUT -m mark --mark 0xca6c -j CONNMARK --save-mark", mangle, StringComparison.Ordinal);
        // The hub's WireGuard replies pass rp_filter (the mark restored, src_valid_mark): the LAN and the box itself
        // reach the data centre through the tunnel, which now carries everything.
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp), "full tunnel: LAN cannot reach the data centre\n" + lab.Agent.Output);
        Assert.True((await lab.World.ExecAsync(lab.Branch, "ping", "-c", "2", "-W", "2", BranchLab.DataCentreIp)).Succeeded,
            "full tunnel: the box cannot reach the data centre\n" + lab.Agent.Output);
        // The control plane stayed on the WAN: the next Confirm comes over the same connection.
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(3));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 3, TimeSpan.FromSeconds(10)))["success"]!.GetValue<bool>(), lab.Agent.Output);
        Assert.Equal(connectsBefore, Count(lab.Agent.Output, "MQTT connected to"));
        Assert.DoesNotContain("MQTT connection to", lab.Agent.Output, StringComparison.Ordinal);

        // Back to the split tunnel: rules, mangle chains and sysctls exactly as before.
        Assert.Equal(split, await KernelViewAsync(lab));
        Assert.Equal("0", (await lab.BranchAsync("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark")).Trim());
        Assert.Equal(mainDefault, await lab.BranchAsync("ip", "-4", "route", "show", "default", "table", "main"));
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp), "split again: LAN cannot reach the data centre\n" + lab.Agent.Output);
    }

    /// <summary>Policy rules of both families, the mangle tables of both families (counters dropped) and the sysctls.</summary>
    private static async Task<string> KernelViewAsync(BranchLab lab)
    {
        var parts = new List<string>
        {
            await lab.BranchAsync("ip", "-4", "rule", "show"),
            await lab.BranchAsync("ip", "-6", "rule", "show"),
            Rules(await lab.BranchAsync("iptables-save", "-t", "mangle")),
            Rules(await lab.BranchAsync("ip6tables-save", "-t", "mangle")),
            await lab.BranchAsync("sysctl", "net.ipv4.conf.all.src_valid_mark", "net.ipv4.conf.all.rp_filter"),
        };
        return string.Join("\n---\n", parts);
    }

    private static string Rules(string save) =>
        string.Join('\n', save.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal) || l.StartsWith(':'))
            .Select(l => Regex.Replace(l, @"\[\d+:\d+\]", "")));

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    /// <summary>The backbone batch with the hub's allowed IPs 0.0.0.0/0 only: everything goes through the tunnel.</summary>
    private static JsonObject FullTunnelBatch(BranchLab lab, long sequence)
    {
        var split = (JsonArray)lab.BackboneBatch(sequence)["commands"]!;
        var wg = lab.WireGuardBody();
        wg["hub"]!["allowed_ips"] = new JsonArray("0.0.0.0/0");
        return BranchConnector.IntegrationTests.Fixtures.TestHub.Batch(sequence, ("interface", (JsonObject)split[0]!["body"]!.DeepClone()), ("wireguard", wg));
    }
}
