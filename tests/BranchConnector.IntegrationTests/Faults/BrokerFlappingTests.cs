using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// The broker goes down and comes back 100 times (a real mosquitto, killed and restarted, losing every session).
/// Each time the agent must notice, fail to reach it at least once, and connect again; at the end a batch
/// round trip shows it is subscribed (the broker forgot every session 100 times). Memory, threads and file
/// descriptors, read from /proc after a warm-up and again after the 100 flaps, must stay flat: a leak check
/// with generous bounds, not a timing assertion.
/// </summary>
public sealed class BrokerFlappingTests
{
    private const int Flaps = 100;
    private const int WarmUp = 5;

    [Fact]
    public async Task The_agent_reconnects_after_each_of_100_broker_restarts_with_memory_threads_and_fds_flat()
    {
        await using var box = await SmallBox.StartAsync();
        box.Agent.Start();
        await box.RegisterAsync();
        var pid = box.Agent.Pid!.Value;

        for (var i = 0; i < WarmUp; i++) await FlapAsync(box, i);
        await Task.Delay(1000);
        var before = ProcessFigures.Read(pid);
        for (var i = 0; i < Flaps; i++) await FlapAsync(box, WarmUp + i);
        await Task.Delay(1000);
        var after = ProcessFigures.Read(pid);
        Console.WriteLine($"after {WarmUp} warm-up flaps: {before}; after {Flaps} more: {after}");

        Assert.Equal(pid, box.Agent.Pid);
        await box.RestartHubAsync();
        var confirm = await box.PublishAsync(box.Batch(1, 5));
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        Assert.DoesNotContain("identity conflict", box.Agent.Output, StringComparison.OrdinalIgnoreCase);
        // A leak of one buffer, thread, socket or pipe per reconnect would show as 100 of them. Pipes come and go
        // with the tools the agent runs (three per child, a few children at a time under load), and the runtime
        // opens the single-file binary once per assembly it loads late: those two are bounded separately.
        Assert.True(after.Durable <= before.Durable + 5, $"fds: {before} → {after}");
        Assert.True(after.Pipes <= before.Pipes + 30, $"pipes: {before} → {after}");
        Assert.True(after.Threads <= before.Threads + 8, $"threads: {before} → {after}");
        Assert.True(after.RssKib <= before.RssKib + 24 * 1024, $"memory: {before} → {after}");
    }

    /// <summary>Broker down until the agent has failed to reach it, then up until the agent is subscribed again.</summary>
    private static async Task FlapAsync(SmallBox box, int n)
    {
        var failedBefore = Occurrences(box.Agent.Output, "MQTT connect to ");
        await box.Broker.StopAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Occurrences(box.Agent.Output, "MQTT connect to ") <= failedBefore && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Occurrences(box.Agent.Output, "MQTT connect to ") > failedBefore, $"flap {n}: the agent never tried while the broker was down\n{Tail(box)}");

        var connectedBefore = Occurrences(box.Agent.Output, "MQTT connected to ");
        await box.Broker.StartAsync();
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Occurrences(box.Agent.Output, "MQTT connected to ") <= connectedBefore && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Occurrences(box.Agent.Output, "MQTT connected to ") > connectedBefore, $"flap {n}: not reconnected within 30 s\n{Tail(box)}");
    }

    private static int Occurrences(string text, string needle) => Lab.LabSteps.Occurrences(text, needle);

    private static string Tail(SmallBox box) => box.Agent.Output.Length > 4000 ? box.Agent.Output[^4000..] : box.Agent.Output;
}
