using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// 1,000 batches (200 routes each, every one different) published over 10 s by one client. The agent cannot
/// apply them that fast and must not try: a batch still waiting when a newer one arrives is superseded (its
/// Confirm: `stale_sequence`, "superseded by sequence N"), the newest is applied, every batch gets exactly one
/// Confirm, the kernel ends with exactly the last batch's routes, and memory stays bounded.
/// </summary>
public sealed class BatchFloodTests
{
    private const int Batches = 1000;
    private const int RoutesPerBatch = 200;

    [Fact]
    public async Task A_thousand_batches_in_ten_seconds_coalesce_and_the_last_one_wins()
    {
        await using var box = await SmallBox.StartAsync();
        box.Agent.Start();
        await box.RegisterAsync();
        var pid = box.Agent.Pid!.Value;
        var first = await box.PublishAsync(box.Batch(1, RoutesPerBatch));
        Assert.True(first["success"]!.GetValue<bool>(), first.ToJsonString());
        await Task.Delay(1000);
        var before = ProcessFigures.Read(pid);

        // One mosquitto_pub reading one batch per line from stdin, paced over 10 s.
        var args = new List<string> { "-h", box.Broker.Host, "-p", box.Broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1",
            "-t", $"VSR/{box.Serial}/batch", "-l", "-i", "flood-" + box.World.Tag };
        args.AddRange(box.Broker.ClientArguments(TestHub.User));
        var psi = box.Broker.StartInfo("mosquitto_pub", [.. args]);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardError = true;
        using var pub = Process.Start(psi)!;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < Batches; i++)
        {
            var sequence = 2 + i;
            await pub.StandardInput.WriteLineAsync(box.Batch(sequence, RoutesPerBatch, firstRoute: i * 7).ToJsonString());
            var due = TimeSpan.FromMilliseconds(10_000.0 * (i + 1) / Batches);
            if (sw.Elapsed < due) await Task.Delay(due - sw.Elapsed);
        }
        await pub.StandardInput.FlushAsync();
        pub.StandardInput.Close();
        await pub.WaitForExitAsync();
        Assert.True(pub.ExitCode == 0, await pub.StandardError.ReadToEndAsync());
        var published = sw.Elapsed;

        var last = 1 + Batches;
        var lastConfirm = await box.Hub.WaitForConfirmAsync(box.Serial, last, TimeSpan.FromSeconds(120));
        Assert.True(lastConfirm["success"]!.GetValue<bool>(), lastConfirm.ToJsonString());
        await Task.Delay(1000);
        var after = ProcessFigures.Read(pid);

        var confirms = box.Hub.Messages.Where(m => m.Topic == $"VSRE/{box.Serial}/config/confirm")
            .Select(m => JsonNode.Parse(m.Payload)!.AsObject()).Where(o => o["sequence"]?.GetValue<long>() > 1).ToList();
        var bySequence = confirms.GroupBy(c => c["sequence"]!.GetValue<long>()).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Batches, bySequence.Count);
        Assert.All(bySequence, kv => Assert.True(kv.Value.Count == 1, $"sequence {kv.Key}: {kv.Value.Count} confirms"));
        var applied = confirms.Where(c => c["success"]!.GetValue<bool>()).Select(c => c["sequence"]!.GetValue<long>()).ToList();
        var superseded = confirms.Where(c => !c["success"]!.GetValue<bool>()).ToList();
        Assert.All(superseded, c =>
        {
            Assert.Equal("stale_sequence", c["error"]!["code"]!.GetValue<string>());
            var message = c["error"]!["message"]!.GetValue<string>();
            Assert.Contains("superseded by sequence ", message, StringComparison.Ordinal);
            var newer = long.Parse(message.Split("superseded by sequence ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.True(newer > c["sequence"]!.GetValue<long>(), message);
            Assert.Null(c["applied_at"]?.GetValue<string>());
        });
        // Applied in order (each Confirm is published in the order the agent handled them), the last one last.
        Assert.Equal(applied.Order().ToList(), applied);
        Assert.Equal(last, applied[^1]);
        Assert.True(superseded.Count > 0, "nothing coalesced");

        var routes = (await box.World.ExecOkAsync(box.Ns, "ip", "route", "show", "proto", "188")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = Lab.LabSteps.HostRoutes(RoutesPerBatch, (Batches - 1) * 7).Select(d => d.Replace("/32", "", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(RoutesPerBatch, routes.Length);
        Assert.All(routes, r => Assert.Contains(r.Split(' ')[0], expected));

        Console.WriteLine($"{Batches} batches published in {published.TotalSeconds:F1} s: {applied.Count} applied, {superseded.Count} superseded; " +
            $"agent before: {before}; after: {after}");
        Assert.True(after.PeakRssKib <= before.PeakRssKib + 150 * 1024, $"memory: {before} → {after}");
    }
}
