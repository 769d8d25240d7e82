using System.Text.RegularExpressions;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

/// <summary>A crashed and restarted agent adopts the live data plane untouched, and rebuilds it from disk without the broker.</summary>
public partial class RestartTests
{
    [Fact]
    public async Task A_killed_agent_restarts_with_zero_operations_without_losing_a_packet_and_rebuilds_the_tunnel_without_the_broker()
    {
        await using var lab = await BranchLab.StartAsync();
        await lab.StartConnectedAsync();
        var psk = (await Fixtures.Sh.OkAsync("wg", "genpsk")).Trim();
        await SetPresharedKeyAtHubAsync(lab, psk);
        var batch = LabSteps.WithBody(lab.BackboneBatch(1), "wireguard", b => b["hub"]!["preshared_key"] = psk);
        await lab.ApplyAsync(batch);
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp, 5), "no tunnel\n" + lab.Agent.Output);

        var handshake = await HubHandshakeAsync(lab);
        Assert.NotEqual("0", handshake);
        var wireguardGo = await BackbonePidAsync(lab);
        Assert.NotNull(wireguardGo);

        // A ping from the LAN runs across the crash and the restart.
        var ping = lab.World.ExecAsync(lab.Lan, "ping", "-c", "30", "-i", "0.2", "-W", "1", BranchLab.DataCentreIp);
        await Task.Delay(1000);
        await lab.Agent.KillAsync();
        var offset = lab.Agent.Output.Length;
        lab.Agent.Start();
        await lab.Agent.WaitForOutputAsync("start-up: batch 1", TimeSpan.FromSeconds(30));
        var startup = StartupLine().Match(lab.Agent.Output[offset..]);
        Assert.True(startup.Success, lab.Agent.Output[offset..]);
        Assert.Equal("0", startup.Groups[1].Value);
        var pinged = await ping;
        Assert.True(pinged.Succeeded && pinged.Stdout.Contains(" 0% packet loss", StringComparison.Ordinal), pinged.Stdout + "\n" + lab.Agent.Output[offset..]);
        Assert.Equal(handshake, await HubHandshakeAsync(lab));
        Assert.Equal(wireguardGo, await BackbonePidAsync(lab));

        // No broker, no backbone device: the persisted batch brings the tunnel back on its own.
        await lab.Broker.StopAsync();
        await lab.BranchAsync("ip", "link", "del", lab.BackboneIf);
        await lab.Agent.KillAsync();
        offset = lab.Agent.Output.Length;
        lab.Agent.Start();
        Assert.True(await LabSteps.EventuallyAsync(() => Task.FromResult(lab.Agent.Output[offset..].Contains("start-up: batch 1", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30)), lab.Agent.Output[offset..]);
        Assert.True(await LabSteps.EventuallyAsync(() => lab.PingFromLanAsync(BranchLab.DataCentreIp, 1), TimeSpan.FromSeconds(15)),
            "the tunnel did not come back from the persisted batch\n" + lab.Agent.Output[offset..]);

        // The preshared key never left the box: not in the agent's output, not in anything it published.
        Assert.DoesNotContain(psk, lab.Agent.Output, StringComparison.Ordinal);
        Assert.All(lab.TestHub.Messages.Where(m => !m.Topic.StartsWith("VSR/", StringComparison.Ordinal)),
            m => Assert.DoesNotContain(psk, m.Payload, StringComparison.Ordinal));
    }

    private static async Task SetPresharedKeyAtHubAsync(BranchLab lab, string psk)
    {
        var register = await lab.RegisterAsync();
        var file = Path.Combine(lab.Agent.Directory, "hub-psk");
        await File.WriteAllTextAsync(file, psk + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await lab.World.ExecOkAsync(lab.Hub, "wg", "set", lab.HubWg, "peer", register["public_keys"]!["wg0"]!.GetValue<string>(), "preshared-key", file);
        File.Delete(file);
    }

    /// <summary>The hub's latest-handshake time for its one peer (epoch seconds).</summary>
    private static async Task<string> HubHandshakeAsync(BranchLab lab) =>
        (await lab.World.ExecOkAsync(lab.Hub, "wg", "show", lab.HubWg, "latest-handshakes")).Trim().Split('\t')[^1];

    /// <summary>The pid of the wireguard-go serving the backbone in the branch namespace.</summary>
    private static async Task<string?> BackbonePidAsync(BranchLab lab)
    {
        var pids = (await Fixtures.Sh.OkAsync("ip", "netns", "pids", lab.Branch)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var pid in pids)
        {
            string cmdline;
            try { cmdline = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            if (cmdline.Contains("wireguard-go", StringComparison.Ordinal) && cmdline.Contains(lab.BackboneIf, StringComparison.Ordinal)) return pid;
        }
        return null;
    }

    [GeneratedRegex(@"start-up: batch 1, [^\n]*?: (\d+) operations")]
    private static partial Regex StartupLine();
}
