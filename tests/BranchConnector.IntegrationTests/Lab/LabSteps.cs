using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Firewall;

namespace BranchConnector.IntegrationTests.Lab;

/// <summary>The steps the acceptance tests repeat on a <see cref="BranchLab"/>: start and connect, apply, look at the box.</summary>
public static partial class LabSteps
{
    /// <summary>Starts the agent, waits for its Register and lets its backbone key in at the hub.</summary>
    public static async Task StartConnectedAsync(this BranchLab lab)
    {
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
    }

    /// <summary>Publishes a batch and returns its Confirm, asserting success.</summary>
    public static async Task<JsonObject> ApplyAsync(this BranchLab lab, JsonObject batch)
    {
        var confirm = await lab.PublishAsync(batch);
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString() + "\n" + lab.Agent.Output);
        return confirm;
    }

    /// <summary>Publishes a batch and returns its (first) Confirm, whatever it says.</summary>
    public static async Task<JsonObject> PublishAsync(this BranchLab lab, JsonObject batch)
    {
        var sequence = batch["sequence"]!.GetValue<long>();
        await lab.TestHub.PublishBatchAsync(lab.Serial, batch);
        return await lab.TestHub.WaitForConfirmAsync(lab.Serial, sequence);
    }

    public static (int Added, int Removed, int Changed) Changes(JsonObject confirm) =>
        (confirm["changes"]!["added"]!.GetValue<int>(), confirm["changes"]!["removed"]!.GetValue<int>(), confirm["changes"]!["changed"]!.GetValue<int>());

    /// <summary>A copy of <paramref name="batch"/> with one topic's body edited and the hash recomputed.</summary>
    public static JsonObject WithBody(JsonObject batch, string topic, Action<JsonObject> edit)
    {
        var commands = batch["commands"]!.AsArray().Select(c => (c!["topic"]!.GetValue<string>(), c["body"]!.DeepClone().AsObject())).ToList();
        foreach (var (t, body) in commands) if (t == topic) edit(body);
        return Fixtures.TestHub.Batch(batch["sequence"]!.GetValue<long>(), [.. commands]);
    }

    /// <summary>A `static` body: one route per destination, all through <paramref name="device"/>.</summary>
    public static JsonObject StaticBody(IEnumerable<string> destinations, string device) => new()
    {
        ["routes"] = new JsonArray(destinations.Select(d => (JsonNode)new JsonObject { ["destination"] = d, ["interface"] = device }).ToArray()),
    };

    /// <summary><paramref name="count"/> distinct /32 destinations in 10.100.0.0/14.</summary>
    public static IEnumerable<string> HostRoutes(int count, int first = 0) =>
        Enumerable.Range(first, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"10.{100 + i / 65536}.{i / 256 % 256}.{i % 256}/32"));

    /// <summary>
    /// What the agent may change, as text to compare byte for byte: every route of every table, every address,
    /// the backbone's WireGuard dump (keys of secrets, handshake time and transfer counters masked) and the
    /// iptables rulesets without counters.
    /// </summary>
    public static async Task<string> LiveStateAsync(this BranchLab lab)
    {
        var sb = new StringBuilder();
        sb.Append("== routes\n").Append(await lab.BranchAsync("ip", "route", "show", "table", "all"));
        sb.Append("== rules\n").Append(await lab.BranchAsync("ip", "rule", "show"));
        sb.Append("== addr\n").Append(await lab.BranchAsync("ip", "addr"));
        sb.Append("== wg\n").Append(await lab.WgDumpAsync());
        sb.Append("== iptables\n").Append(WithoutCounters(await lab.BranchAsync("iptables-nft-save")));
        sb.Append("== ip6tables\n").Append(WithoutCounters(await lab.BranchAsync("ip6tables-nft-save")));
        return sb.ToString();
    }

    /// <summary>
    /// <see cref="LiveStateAsync"/> once two reads 300 ms apart agree and no address is still tentative: the kernel
    /// finishes some things on its own (an IPv6 link-local address gets its local route after DAD).
    /// </summary>
    public static async Task<string> SettledLiveStateAsync(this BranchLab lab)
    {
        var last = await lab.LiveStateAsync();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(300);
            var now = await lab.LiveStateAsync();
            if (now == last && !now.Contains("tentative", StringComparison.Ordinal)) return now;
            last = now;
        }
        return last;
    }

    /// <summary>`wg show BACKBONE dump` with the private key, preshared key, latest handshake and transfer columns masked.</summary>
    public static async Task<string> WgDumpAsync(this BranchLab lab)
    {
        var r = await lab.World.ExecAsync(lab.Branch, "wg", "show", lab.BackboneIf, "dump");
        if (!r.Succeeded) return "(no backbone device)\n";
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var f = line.Split('\t');
            if (f.Length == 4) f[0] = "*";                 // interface: private, public, port, fwmark
            else if (f.Length == 8) f[1] = f[4] = f[5] = f[6] = "*"; // peer: public, psk, endpoint, allowed, handshake, rx, tx, keepalive
            return string.Join('\t', f);
        });
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Everyone else's iptables rules (both families), without counters, our chains and our jumps.</summary>
    public static async Task<string> ForeignIptablesAsync(this BranchLab lab) =>
        FirewallHarness.Foreign(await lab.BranchAsync("iptables-nft-save")) + "=== ipv6 ===\n" + FirewallHarness.Foreign(await lab.BranchAsync("ip6tables-nft-save"));

    private static string WithoutCounters(string save) =>
        string.Join('\n', save.Split('\n').Where(l => !l.StartsWith('#')).Select(l => Counters().Replace(l, "")));

    [System.Text.RegularExpressions.GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial System.Text.RegularExpressions.Regex Counters();

    public static int Occurrences(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + needle.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false at the deadline.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }
}
