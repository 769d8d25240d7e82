using BranchConnector.Agent.Hosting;
using BranchConnector.Tests.Golden;
using Microsoft.Extensions.Logging.Abstractions;

namespace BranchConnector.Tests.Hosting;

/// <summary>The relay monitor over the fake kernel: a silent direct path moves the member's subnets to the backbone.</summary>
public sealed class RelayMonitorTests
{
    [Fact]
    public async Task A_member_silent_for_its_direct_timeout_is_relayed_through_the_hub_and_reported()
    {
        using var d = new Daemonlet();
        var batch = await d.Batches.HandleAsync(Daemonlet.Batch(1, ("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard())),
            d.Clock.GetUtcNow(), CancellationToken.None);
        var peering = await d.Peerings.HandleAsync(Protocol.Docs.Peering($"[{Protocol.Docs.WgGroup(Protocol.Docs.Member(), "\"direct_timeout_s\": 20,")}]"),
            d.Clock.GetUtcNow(), CancellationToken.None);
        Assert.True(batch.Success && peering.Success, batch.Error?.Message + peering.Error?.Message);
        Assert.Equal("wg2", Assert.Single(d.Box.Kernel.Routes, r => r.Destination == "10.30.0.0/16").Device);

        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var monitor = new RelayMonitor(d.State, d.Environment, d.Box.Kernel, d.Work, d.Drift, _ => { published.TrySetResult(); return Task.CompletedTask; },
            d.Clock, NullLogger<RelayMonitor>.Instance);
        using (var watching = new CancellationTokenSource())
        {
            var run = monitor.RunAsync(watching.Token);
            // No traffic on wg2: once 20 s of fake time have passed, a look relays the member.
            for (var i = 0; i < 2000 && !d.Environment.RelayedMembers.Contains("E-100"); i++)
            {
                d.Clock.Advance(TimeSpan.FromSeconds(5));
                await Task.Delay(5);
            }
            await watching.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
        Assert.Contains("E-100", d.Environment.RelayedMembers);

        // The switch is a work item: re-plan through the one reconciler, then publish TunnelStatus at once.
        using (var working = new CancellationTokenSource())
        {
            var work = d.Work.RunAsync(working.Token);
            await published.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await working.CancelAsync();
            try { await work; } catch (OperationCanceledException) { }
        }
        Assert.Equal("wg0", Assert.Single(d.Box.Kernel.Routes, r => r.Destination == "10.30.0.0/16").Device);
    }
}
