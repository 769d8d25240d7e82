using System.Globalization;
using System.Runtime.InteropServices;
using BranchConnector.IntegrationTests.Faults;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>
/// The published agent against a real mosquitto that dies between the apply and the Confirm: the Confirm is a
/// QoS 1 publish the broker never acknowledged, so the agent sends it again once the broker is back.
/// The moments are made exact with SIGSTOP instead of timing: the batch is parked in the frozen agent's socket,
/// then the broker is frozen, the agent applies and writes its Confirm into the frozen broker's socket (seen in
/// that socket's receive queue), and the broker is killed with the Confirm unread.
/// </summary>
public sealed class ConfirmAcrossBrokerRestartTests
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_confirm_the_dead_broker_never_acknowledged_is_delivered_after_its_restart()
    {
        await using var box = await SmallBox.StartAsync();
        box.Agent.Start();
        await box.RegisterAsync();
        var agent = box.Agent.Pid!.Value;
        var broker = box.Broker.Pid!.Value;
        var confirmTopic = $"VSRE/{box.Serial}/config/confirm";

        Signal(agent, SigStop);
        try
        {
            await box.Hub.PublishBatchAsync(box.Serial, box.Batch(1, 3));
            // The batch has reached the agent: it waits, unread, in the frozen agent's socket.
            var agentPort = await WaitForAsync(async () =>
                (await SocketsAsync(box)).FirstOrDefault(s => s.Pid == agent && s.PeerPort == box.Broker.Port && s.RecvQ > 0)?.LocalPort,
                "the batch in the agent's socket");

            Signal(broker, SigStop);
            var appliedBefore = Lab.LabSteps.Occurrences(box.Agent.Output, " applied: +");
            Signal(agent, SigCont);
            // The agent applies and publishes its Confirm right after; the frozen broker cannot read or acknowledge
            // it. The PUBACK for the batch is 4 bytes, a Confirm hundreds.
            await WaitForAsync(() => Task.FromResult(Lab.LabSteps.Occurrences(box.Agent.Output, " applied: +") > appliedBefore ? (object)true : null), "the apply");
            await WaitForAsync(async () =>
                (await SocketsAsync(box)).FirstOrDefault(s => s.LocalPort == box.Broker.Port && s.PeerPort == agentPort && s.RecvQ > 100),
                "the Confirm in the frozen broker's socket");
            await Task.Delay(500); // lets the agent finish writing what follows the apply (Confirm, State)
            Assert.Equal(0, box.Hub.Count(confirmTopic));
            Assert.Equal(3, await box.AgentRoutesAsync());

            // The broker dies with the Confirm unread and comes back without any session (persistence off). The agent
            // is held while the hub resubscribes, so what the hub sees next can only be the agent's re-send.
            Signal(agent, SigStop);
            await box.Broker.StopAsync(); // SIGKILL ends the frozen broker as it is
            await box.Broker.StartAsync();
            await box.RestartHubAsync();
        }
        finally
        {
            Signal(agent, SigCont);
        }

        var confirm = await box.Hub.WaitForConfirmAsync(box.Serial, 1, Wait);
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        await box.Agent.WaitForOutputAsync("MQTT re-sent", Wait);
        Assert.Equal(3, await box.AgentRoutesAsync());
        Assert.Equal(box.Agent.Pid, agent);
    }

    private sealed record TcpSocket(int RecvQ, int LocalPort, int PeerPort, int? Pid);

    /// <summary>Established TCP sockets in the box's namespace with their receive queues (ss -Htnp).</summary>
    private static async Task<IReadOnlyList<TcpSocket>> SocketsAsync(SmallBox box)
    {
        var output = await box.World.ExecOkAsync(box.Ns, "ss", "-Htnp", "state", "established");
        var sockets = new List<TcpSocket>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4) continue;
            var pidAt = line.IndexOf("pid=", StringComparison.Ordinal);
            int? pid = pidAt < 0 ? null : int.Parse(new string(line[(pidAt + 4)..].TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);
            sockets.Add(new TcpSocket(int.Parse(f[0], CultureInfo.InvariantCulture), Port(f[2]), Port(f[3]), pid));
        }
        return sockets;
    }

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
