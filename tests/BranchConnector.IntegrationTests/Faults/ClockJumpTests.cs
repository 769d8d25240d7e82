using System.Globalization;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// The agent's wall clock jumps an hour back and then two hours forward while it runs (libfaketime, its offset
/// read from a file at most a second old; the monotonic clock is left alone, as a real `date -s` leaves it). After each
/// jump the periodic reports keep coming at their intervals (not an hour late, not all at once), `uptime_s`
/// keeps counting the real time, timestamps follow the new wall clock, a batch is still applied with a sane
/// `duration_ms`, and after a broker outage the agent is back within the normal back-off.
/// </summary>
public sealed class ClockJumpTests
{
    private const string Library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

    [Fact]
    public async Task Reports_uptime_and_backoff_stay_sane_across_clock_jumps_of_an_hour()
    {
        Assert.True(File.Exists(Library), "libfaketime is missing: scripts/deps.sh installs it");
        await using var box = await SmallBox.StartAsync();
        var offsetFile = Path.Combine(box.Agent.Directory, "faketime");
        await File.WriteAllTextAsync(offsetFile, "+0\n");
        box.Agent.Start(("LD_PRELOAD", Library), ("FAKETIME_TIMESTAMP_FILE", offsetFile), ("FAKETIME_CACHE_DURATION", "1"),
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1"));
        await box.RegisterAsync(TimeSpan.FromSeconds(90)); // every libc time call goes through libfaketime: a slower start
        var batch = Lab.LabSteps.WithBody(box.Batch(1, 5), "monitoring", m =>
        {
            m["keepalive_interval_s"] = 1;
            m["tunnel_status_interval_s"] = 2;
            m["inform_interval_s"] = 2;
        });
        var confirm = await box.PublishAsync(batch);
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        await WindowAsync(box, TimeSpan.Zero, "before any jump");

        await File.WriteAllTextAsync(offsetFile, "-1h\n");
        await WindowAsync(box, TimeSpan.FromHours(-1), "an hour back");
        await AppliesAsync(box, 2, TimeSpan.FromHours(-1));

        await File.WriteAllTextAsync(offsetFile, "+1h\n");
        await WindowAsync(box, TimeSpan.FromHours(1), "two hours forward");
        await AppliesAsync(box, 3, TimeSpan.FromHours(1));

        // A broker outage after the jumps: back within the normal back-off (attempts at [0, 1 s], [0, 2 s], …).
        var failed = Lab.LabSteps.Occurrences(box.Agent.Output, "MQTT connect to ");
        var connected = Lab.LabSteps.Occurrences(box.Agent.Output, "MQTT connected to ");
        await box.Broker.StopAsync();
        Assert.True(await Lab.LabSteps.EventuallyAsync(() => Task.FromResult(Lab.LabSteps.Occurrences(box.Agent.Output, "MQTT connect to ") > failed),
            TimeSpan.FromSeconds(15)), box.Agent.Output);
        await box.Broker.StartAsync();
        Assert.True(await Lab.LabSteps.EventuallyAsync(() => Task.FromResult(Lab.LabSteps.Occurrences(box.Agent.Output, "MQTT connected to ") > connected),
            TimeSpan.FromSeconds(15)), "not reconnected within 15 s after the broker came back\n" + box.Agent.Output);
        Assert.Null(box.Agent.ExitCode);
    }

    /// <summary>Six seconds of reports: keepalives every second, TunnelStatus and Inform every two, stamped with the shifted clock.</summary>
    private static async Task WindowAsync(SmallBox box, TimeSpan offset, string when)
    {
        // Let the jump take effect (libfaketime caches the offset for a second), then watch a fresh window.
        await Task.Delay(2500);
        var mark = box.Hub.Mark();
        var started = DateTimeOffset.UtcNow;
        await Task.Delay(6000);
        var seen = box.Hub.Messages.Skip(mark).ToList();
        List<JsonObject> On(string topic) => [.. seen.Where(m => m.Topic == $"VSRE/{box.Serial}/{topic}").Select(m => JsonNode.Parse(m.Payload)!.AsObject())];

        var keepalives = On("keepalive");
        Assert.True(keepalives.Count >= 3, $"{when}: {keepalives.Count} keepalives in 6 s\n{Tail(box)}");
        Assert.True(On("tunnel/status").Count >= 1, $"{when}: no TunnelStatus in 6 s");
        Assert.True(On("inform").Count >= 1, $"{when}: no Inform in 6 s");
        foreach (var k in keepalives)
        {
            var sentAt = DateTimeOffset.Parse(k["sent_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var shift = sentAt - DateTimeOffset.UtcNow;
            Assert.True(Math.Abs((shift - offset).TotalSeconds) < 60, $"{when}: sent_at {sentAt:O} is {shift} from now, expected about {offset}");
        }
        // uptime_s counts real seconds: it grows with the window, never by an hour, never backwards.
        var uptimes = keepalives.Select(k => k["uptime_s"]!.GetValue<long>()).ToList();
        Assert.Equal(uptimes.Order().ToList(), uptimes);
        Assert.InRange(uptimes[^1] - uptimes[0], 1, 10);
        var age = (DateTimeOffset.UtcNow - started).TotalSeconds;
        Console.WriteLine($"{when}: {keepalives.Count} keepalives, {On("tunnel/status").Count} TunnelStatus, {On("inform").Count} Inform in 6 s; " +
            $"uptime_s {uptimes[0]} → {uptimes[^1]}; sent_at {(DateTimeOffset.Parse(keepalives[^1]["sent_at"]!.GetValue<string>(), CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow).TotalMinutes:F0} min from now");
        Assert.True(uptimes[^1] < 600, $"{when}: uptime_s {uptimes[^1]} after a test of minutes (window {age:F0} s)");
    }

    private static async Task AppliesAsync(SmallBox box, long sequence, TimeSpan offset)
    {
        var confirm = await box.PublishAsync(Lab.LabSteps.WithBody(box.Batch(sequence, 5 + (int)sequence), "monitoring", m =>
        {
            m["keepalive_interval_s"] = 1;
            m["tunnel_status_interval_s"] = 2;
            m["inform_interval_s"] = 2;
        }));
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        Assert.InRange(confirm["duration_ms"]!.GetValue<long>(), 0, 60_000);
        var appliedAt = DateTimeOffset.Parse(confirm["applied_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((appliedAt - DateTimeOffset.UtcNow - offset).TotalSeconds) < 60, $"applied_at {appliedAt:O}");
    }

    private static string Tail(SmallBox box) => box.Agent.Output.Length > 4000 ? box.Agent.Output[^4000..] : box.Agent.Output;
}
