using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

/// <summary>A batch that fails half-way is undone: the box is byte-identical to the last applied batch.</summary>
public class RollbackTests
{
    [Fact]
    public async Task A_route_to_a_missing_device_fails_the_batch_and_rolls_back_everything_it_had_changed()
    {
        await using var lab = await BranchLab.StartAsync();
        await lab.StartConnectedAsync();
        await lab.ApplyAsync(lab.BackboneBatch(1, ("static", LabSteps.StaticBody(["10.30.0.0/16"], lab.BackboneIf))));
        var before = await lab.SettledLiveStateAsync();

        // Batch 2: a second LAN address and a good route (both applied before the bad route), then a route to a device that does not exist.
        var batch = lab.BackboneBatch(2, ("static", new JsonObject
        {
            ["routes"] = new JsonArray(
                new JsonObject { ["destination"] = "10.30.0.0/16", ["interface"] = lab.BackboneIf },
                new JsonObject { ["destination"] = "10.31.0.0/16", ["interface"] = lab.BackboneIf },
                new JsonObject { ["destination"] = "10.32.0.0/16", ["interface"] = "nosuchdev0" }),
        }));
        batch = WithLanAddresses(lab, batch, "192.168.10.1/24", "192.168.11.1/24");
        var confirm = await lab.PublishAsync(batch);

        Assert.False(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        Assert.True(confirm["rolled_back"]!.GetValue<bool>(), confirm.ToJsonString() + "\n" + lab.Agent.Output);
        var error = confirm["error"]!.AsObject();
        Assert.Equal("apply_failed", error["code"]!.GetValue<string>());
        Assert.Equal("static", error["topic"]!.GetValue<string>());
        var command = error["command"]!.GetValue<string>();
        Assert.StartsWith("ip ", command, StringComparison.Ordinal);
        Assert.Contains("-batch", command, StringComparison.Ordinal);
        Assert.Contains("route add 10.32.0.0/16 dev nosuchdev0", command, StringComparison.Ordinal);
        Assert.NotEqual(0, error["exit_code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(error["stderr"]!.GetValue<string>()), confirm.ToJsonString());

        Assert.Equal(before, await lab.SettledLiveStateAsync());
        // The applied batch is still 1: the same batch 1 again is a repeat with nothing to do.
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1, ("static", LabSteps.StaticBody(["10.30.0.0/16"], lab.BackboneIf))));
        var repeat = await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1, occurrence: 2);
        Assert.True(repeat["success"]!.GetValue<bool>(), repeat.ToJsonString());
    }

    /// <summary>The same batch with the LAN link's addresses replaced (hash recomputed).</summary>
    private static JsonObject WithLanAddresses(BranchLab lab, JsonObject batch, params string[] addresses)
    {
        var commands = batch["commands"]!.AsArray().Select(c => (c!["topic"]!.GetValue<string>(), c["body"]!.DeepClone().AsObject())).ToList();
        var index = commands.FindIndex(c => c.Item1 == "interface");
        commands[index] = ("interface", new JsonObject
        {
            ["interfaces"] = new JsonArray(new JsonObject { ["name"] = lab.LanIf, ["addresses"] = new JsonArray(addresses.Select(a => (JsonNode)a).ToArray()) }),
        });
        return Fixtures.TestHub.Batch(batch["sequence"]!.GetValue<long>(), [.. commands]);
    }
}
