using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Lab;
using BranchConnector.IntegrationTests.Status;

namespace BranchConnector.IntegrationTests.Observability;

/// <summary>
/// `branch-connector bugreport` of the published binary on a box holding every kind of secret: the archive has
/// the promised files, and no file in it contains any of the secrets, in any case.
/// </summary>
public class BugReportTests
{
    [Fact]
    public async Task The_archive_has_status_doctor_kernel_objects_and_settings_and_no_secret()
    {
        var psk = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var ipsecOut = Convert.ToHexString(RandomNumberGenerator.GetBytes(36));
        var ipsecIn = Convert.ToHexString(RandomNumberGenerator.GetBytes(36)).ToLowerInvariant();
        await using var lab = await BranchLab.StartAsync(extraYaml: "metrics: { listen: \"127.0.0.1:9188\" }\n");
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
        var batch = lab.BackboneBatch(1);
        var wireguard = batch["commands"]!.AsArray().Single(c => c!["topic"]!.GetValue<string>() == "wireguard")!["body"]!;
        wireguard["hub"]!["preshared_key"] = psk;
        batch["config_hash"] = TestHub.Hash(batch["commands"]!);
        await lab.TestHub.PublishBatchAsync(lab.Serial, batch);
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1))["success"]!.GetValue<bool>());
        await lab.TestHub.PublishPeeringAsync(lab.Serial, Peering(lab, ipsecOut, ipsecIn));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1, kind: "e2e-peering/confirm"))["success"]!.GetValue<bool>());
        await StatusCli.WaitForSocketAsync(lab.Agent);

        var secrets = new List<string> { psk, ipsecOut, ipsecIn, "secret-pw" };
        secrets.AddRange(Directory.GetFiles(Path.Combine(lab.Agent.StateDir, "keys"), "*.key").Select(f => File.ReadAllText(f).Trim()));
        Assert.Equal(6, secrets.Count);

        var archive = Path.Combine(lab.Agent.Directory, "report.tar.gz");
        var run = await StatusCli.RunInNamespaceAsync(lab.Branch, "bugreport", "--out", archive, "--config", lab.Agent.ConfigFile);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains(archive, run.Stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));

        var dir = Path.Combine(lab.Agent.Directory, "extracted");
        Directory.CreateDirectory(dir);
        await Sh.OkAsync("tar", "-xzf", archive, "-C", dir);
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f)[(Path.GetRelativePath(dir, f).IndexOf('/') + 1)..], File.ReadAllText);

        foreach (var (name, text) in files)
        foreach (var secret in secrets)
            Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{name} holds a secret ({secret[..4]}…)");

        foreach (var name in new[] { "README.txt", "status.json", "doctor.json", "agent.yaml", "kernel/links.txt", "kernel/addresses.txt", "kernel/routes.txt",
                     "kernel/rules.txt", "kernel/iptables.txt", "kernel/xfrm-states.txt", "kernel/xfrm-policies.txt", "kernel/wg-show.txt" })
            Assert.True(files.ContainsKey(name), $"{name} missing; have {string.Join(", ", files.Keys)}");
        Assert.Equal("daemon", JsonNode.Parse(files["status.json"])!["source"]!.GetValue<string>());
        Assert.NotNull(JsonNode.Parse(files["doctor.json"]));
        Assert.Contains("metrics:", files["agent.yaml"], StringComparison.Ordinal);
        Assert.Contains(lab.BackboneIf, files["kernel/links.txt"], StringComparison.Ordinal);
        Assert.Contains("proto 188", files["kernel/routes.txt"], StringComparison.Ordinal);
        Assert.Contains("BC-FORWARD", files["kernel/iptables.txt"], StringComparison.Ordinal);
        Assert.Contains("10.40.0.0/16", files["kernel/xfrm-policies.txt"], StringComparison.Ordinal);
        Assert.Contains($"interface: {lab.BackboneIf}", files["kernel/wg-show.txt"], StringComparison.Ordinal);
        Assert.DoesNotContain("private key", files["kernel/wg-show.txt"], StringComparison.Ordinal);
        Assert.DoesNotContain("preshared key", files["kernel/wg-show.txt"], StringComparison.Ordinal);
        // The journal is there, or the README says why not.
        Assert.True(files.ContainsKey("journal.txt") || files["README.txt"].Contains("journal:", StringComparison.Ordinal), files["README.txt"]);
        // Nothing else on the box: the lab's hub-side objects and the host's own rules are not the agent's.
        Assert.DoesNotContain("32766:", files["kernel/rules.txt"], StringComparison.Ordinal);
    }

    private static JsonObject Peering(BranchLab lab, string outKey, string inKey) => TestHub.Peering(1, new JsonArray(new JsonObject
    {
        ["id"] = "pg-2", ["name"] = "dc-links", ["protocol"] = "ipsec", ["topology"] = "mesh", ["role"] = "mesh-peer",
        ["listen_port"] = 4500, ["local_address"] = BranchLab.BranchWan,
        ["links"] = new JsonArray(new JsonObject
        {
            ["id"] = "l-1", ["peer_serial"] = "E-200", ["remote_address"] = "192.0.2.9", ["remote_port"] = 4500,
            ["local_subnets"] = new JsonArray(BranchLab.LanSubnet), ["remote_subnets"] = new JsonArray("10.40.0.0/16"),
            ["outbound"] = new JsonObject { ["spi"] = "0x0000c001", ["key"] = outKey },
            ["inbound"] = new JsonObject { ["spi"] = "0x0000c002", ["key"] = inKey },
        }),
    }));
}
