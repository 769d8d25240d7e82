using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

/// <summary>Bad batches over MQTT: each is answered with its error code and JSON path, and none of them touches the box.</summary>
public class BadBatchTests
{
    private sealed record BadBatch(string Name, long? Sequence, string Payload, string Code, string? Path);

    [Fact]
    public async Task Every_bad_batch_is_rejected_with_its_code_and_path_and_the_box_is_unchanged()
    {
        await using var lab = await BranchLab.StartAsync();
        await lab.StartConnectedAsync();
        var good = lab.BackboneBatch(1, ("static", LabSteps.StaticBody(["10.30.0.0/16"], lab.BackboneIf)));
        await lab.ApplyAsync(good);
        var before = await lab.SettledLiveStateAsync();

        var nullConfirms = 0;
        foreach (var bad in BadBatches(good))
        {
            await lab.TestHub.PublishAsync($"VSR/{lab.Serial}/batch", bad.Payload);
            var confirm = bad.Sequence is null
                ? await lab.TestHub.WaitForConfirmAsync(lab.Serial, null, occurrence: ++nullConfirms)
                : await lab.TestHub.WaitForConfirmAsync(lab.Serial, bad.Sequence, occurrence: bad.Sequence == 1 ? 2 : 1);
            var text = $"{bad.Name}: {confirm.ToJsonString()}";
            Assert.False(confirm["success"]!.GetValue<bool>(), text);
            Assert.Equal(bad.Code, confirm["error"]?["code"]?.GetValue<string>());
            if (bad.Path is not null) Assert.StartsWith(bad.Path + ":", confirm["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(lab.Agent.ExitCode);
        }

        // A message on a sub-topic the agent does not know is logged and dropped.
        await lab.TestHub.PublishAsync($"VSR/{lab.Serial}/bogus", "{}");
        await lab.Agent.WaitForOutputAsync($"VSR/{lab.Serial}/bogus", TimeSpan.FromSeconds(10));

        Assert.Equal(before, await lab.SettledLiveStateAsync());
        Assert.Null(lab.Agent.ExitCode);
        var next = await lab.ApplyAsync(lab.BackboneBatch(30, ("static", LabSteps.StaticBody(["10.30.0.0/16", "10.31.0.0/16"], lab.BackboneIf))));
        Assert.Equal((1, 0, 0), LabSteps.Changes(next));
    }

    private static IEnumerable<BadBatch> BadBatches(JsonObject good)
    {
        yield return new("malformed JSON", null, "{\"v\": 1, \"sequence\": 40, \"commands\": [", "malformed", null);
        yield return new("2 MiB", null, new JsonObject { ["v"] = 1, ["sequence"] = 41, ["pad"] = new string('x', 2 * 1024 * 1024) }.ToJsonString(), "too_large", null);

        var wrongHash = Renumbered(good, 10);
        wrongHash["config_hash"] = new string('0', 64);
        yield return new("wrong hash", 10, wrongHash.ToJsonString(), "hash_mismatch", "config_hash");

        var stale = Edited(good, 1, c => c[2]!["body"]!["routes"]![0]!["destination"] = "10.33.0.0/16");
        yield return new("stale sequence", 1, stale.ToJsonString(), "stale_sequence", "sequence");

        yield return new("unknown topic", 11, Edited(good, 11, c => c[2]!["topic"] = "bgp").ToJsonString(), "unsupported_topic", "commands[2].topic");
        var floating = Edited(good, 12, c => c[1]!["body"]!["mtu"] = 1420.5);
        yield return new("float", 12, floating.ToJsonString(), "invalid_field", "commands[1].body.mtu");
        yield return new("duplicate index", 13, Edited(good, 13, c => c[2]!["index"] = 1).ToJsonString(), "invalid_field", "commands[2].index");
        yield return new("bad CIDR", 14, Edited(good, 14, c => c[2]!["body"]!["routes"]![0]!["destination"] = "10.30.0.300/16").ToJsonString(),
            "invalid_field", "commands[2].body.routes[0].destination");
        yield return new("port out of range", 15, Edited(good, 15, c => c[1]!["body"]!["listen_port"] = 70000).ToJsonString(), "invalid_field", "commands[1].body.listen_port");
        yield return new("interface name", 16, Edited(good, 16, c => c[1]!["body"]!["interface"] = "wg0;reboot").ToJsonString(), "invalid_field", "commands[1].body.interface");
        yield return new("short key", 17, Edited(good, 17, c => c[1]!["body"]!["hub"]!["public_key"] = Convert.ToBase64String(new byte[31])).ToJsonString(),
            "invalid_field", "commands[1].body.hub.public_key");
        yield return new("hub kind", 18, Edited(good, 18, c => c[1]!["body"]!["hub"]!["kind"] = "bogus").ToJsonString(), "invalid_field", "commands[1].body.hub.kind");
    }

    /// <summary>A copy of <paramref name="batch"/> with another sequence (hash unchanged: the commands are the same).</summary>
    private static JsonObject Renumbered(JsonObject batch, long sequence)
    {
        var copy = batch.DeepClone().AsObject();
        copy["sequence"] = sequence;
        return copy;
    }

    /// <summary>A copy with the commands edited and the hash recomputed over the edited commands.</summary>
    private static JsonObject Edited(JsonObject batch, long sequence, Action<JsonArray> edit)
    {
        var copy = Renumbered(batch, sequence);
        var commands = copy["commands"]!.AsArray();
        edit(commands);
        copy["config_hash"] = TestHub.Hash(commands);
        return copy;
    }
}
