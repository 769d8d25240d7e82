using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// state_dir on a small tmpfs that fills up while the agent runs: the document is still applied to the kernel,
/// the Confirm and status say it could not be persisted, the last-known-good files stay whole and readable
/// (and a restart comes up from them), and once there is room again the next save clears the warning.
/// </summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task A_full_state_dir_is_reported_and_never_truncates_the_last_known_good()
    {
        await using var box = await SmallBox.StartAsync();
        Directory.CreateDirectory(box.Agent.StateDir);
        await Sh.OkAsync("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", $"bc-full-{box.World.Tag}", box.Agent.StateDir);
        try
        {
            await RunAsync(box);
        }
        finally
        {
            await box.Agent.StopAsync();
            await Sh.RunAsync("umount", "-l", box.Agent.StateDir);
        }
    }

    private static async Task RunAsync(SmallBox box)
    {
        var stateDir = box.Agent.StateDir;
        box.Agent.Start();
        await box.RegisterAsync();
        var first = box.Batch(1, 50);
        var confirm1 = await box.PublishAsync(first);
        Assert.True(confirm1["success"]!.GetValue<bool>(), confirm1.ToJsonString());
        Assert.Empty(confirm1["warnings"]!.AsArray());
        var batchFile = Path.Combine(stateDir, "batch.json");
        var summaryFile = Path.Combine(stateDir, "agent-state.json");
        var savedBatch = await File.ReadAllBytesAsync(batchFile);
        var savedSummary = await File.ReadAllBytesAsync(summaryFile);
        var savedJournal = await File.ReadAllBytesAsync(Path.Combine(stateDir, "ownership.json"));

        await FillAsync(stateDir);

        // Batch 2 moves the LAN address and changes the routes: applied, but nothing can be written.
        var second = LabBatchWithAddress(box, 2, 80, "192.168.78.1/24");
        var confirm2 = await box.PublishAsync(second);
        Assert.True(confirm2["success"]!.GetValue<bool>(), confirm2.ToJsonString());
        var warnings = confirm2["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.Contains("cannot save batch.json: No space left on device", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("applied but not persisted", StringComparison.Ordinal));
        Assert.Equal(80, await box.AgentRoutesAsync());

        var status = await StatusJsonAsync(box);
        Assert.Equal("daemon", status.GetProperty("source").GetString());
        Assert.Contains(status.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!),
            w => w.StartsWith("state_dir: cannot save batch.json: No space left on device", StringComparison.Ordinal));
        Assert.Equal(2, status.GetProperty("config").GetProperty("sequence").GetInt64());

        // The last-known-good is byte for byte what batch 1 left; no temp file, no torn .bak.
        Assert.Equal(savedBatch, await File.ReadAllBytesAsync(batchFile));
        Assert.Equal(savedSummary, await File.ReadAllBytesAsync(summaryFile));
        Assert.Equal(savedJournal, await File.ReadAllBytesAsync(Path.Combine(stateDir, "ownership.json")));
        Assert.Empty(Directory.GetFiles(stateDir, "*.tmp"));
        Assert.False(File.Exists(batchFile + ".bak") && new FileInfo(batchFile + ".bak").Length == 0, "a truncated .bak");
        Assert.Null(box.Agent.ExitCode);

        // A crash now: the restarted agent reads the whole last-known-good and asks the hub for the rest.
        await box.Agent.KillAsync();
        var mark = box.Hub.Mark();
        var offset = box.Agent.Output.Length;
        box.Agent.Start();
        await box.Agent.WaitForOutputAsync("start-up: batch 1", TimeSpan.FromSeconds(30));
        var request = await box.Hub.WaitForAsync($"VSRE/{box.Serial}/config/request", _ => true, TimeSpan.FromSeconds(30), "config request", mark);
        Assert.Equal(1, request["have_sequence"]!.GetValue<long>());
        Assert.Equal(50, await box.AgentRoutesAsync());
        Assert.DoesNotContain("Unhandled exception", box.Agent.Output[offset..], StringComparison.Ordinal);

        // Room again: the hub's resend is applied and saved, and the warnings are gone.
        File.Delete(Path.Combine(stateDir, "fill"));
        await box.Hub.PublishBatchAsync(box.Serial, second);
        var confirm3 = await box.Hub.WaitForConfirmAsync(box.Serial, 2, occurrence: 2);
        Assert.True(confirm3["success"]!.GetValue<bool>(), confirm3.ToJsonString());
        Assert.Empty(confirm3["warnings"]!.AsArray());
        Assert.Equal(Encoding.UTF8.GetBytes(second.ToJsonString()), await File.ReadAllBytesAsync(batchFile));
        Assert.Equal(savedBatch, await File.ReadAllBytesAsync(batchFile + ".bak"));
        Assert.True(await Lab.LabSteps.EventuallyAsync(async () =>
            !(await StatusJsonAsync(box)).GetProperty("warnings").EnumerateArray().Any(w => w.GetString()!.StartsWith("state_dir:", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15)), box.Agent.Output);
    }

    private static JsonObject LabBatchWithAddress(SmallBox box, long sequence, int routes, string address) =>
        Lab.LabSteps.WithBody(box.Batch(sequence, routes), "interface", b => b["interfaces"]![0]!["addresses"] = new JsonArray(address));

    /// <summary>Fills the tmpfs to the last byte.</summary>
    private static async Task FillAsync(string dir)
    {
        var r = await Sh.RunAsync("dd", "if=/dev/zero", $"of={Path.Combine(dir, "fill")}", "bs=64k");
        Assert.Contains("No space left on device", r.Stderr, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> StatusJsonAsync(SmallBox box)
    {
        var r = await Status.StatusCli.RunAsync("status", "--json", "--config", box.Agent.ConfigFile);
        Assert.True(r.Stdout.Length > 0, r.Describe());
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.Clone();
    }
}
