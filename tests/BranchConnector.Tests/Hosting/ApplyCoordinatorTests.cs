using BranchConnector.Agent.Desired;
using BranchConnector.Tests.Golden;

namespace BranchConnector.Tests.Hosting;

/// <summary>The single path from documents to the kernel: what it records after a reconcile.</summary>
public sealed class ApplyCoordinatorTests
{
    [Fact]
    public async Task The_backbone_counts_as_configured_only_when_its_wireguard_changes_ran()
    {
        using var d = new Daemonlet();
        var config = PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard()));
        var first = d.Clock.GetUtcNow();

        var (_, outcome) = await d.Coordinator.ApplyAsync(config, DesiredPeering.Empty, "test", rollbackOnFailure: true, CancellationToken.None);
        Assert.True(outcome.Succeeded);
        Assert.Equal(first, d.State.BackboneConfiguredAt);
        Assert.Null(d.State.PeeringConfiguredAt);

        // Nothing to change: the tunnel keeps the time it was configured at (its "pending" window does not restart).
        d.Clock.Advance(TimeSpan.FromMinutes(5));
        var (_, again) = await d.Coordinator.ApplyAsync(config, DesiredPeering.Empty, "test", rollbackOnFailure: true, CancellationToken.None);
        Assert.True(again.Succeeded && again.Plan.IsEmpty);
        Assert.Equal(first, d.State.BackboneConfiguredAt);

        // A new hub key is a WireGuard change of the wireguard topic: configured again.
        var rekeyed = PlanCases.WireGuard();
        rekeyed["hub"]!["public_key"] = PlanCases.PresharedKey;
        var (_, changed) = await d.Coordinator.ApplyAsync(PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", rekeyed)),
            DesiredPeering.Empty, "test", rollbackOnFailure: true, CancellationToken.None);
        Assert.True(changed.Succeeded);
        Assert.Equal(d.Clock.GetUtcNow(), d.State.BackboneConfiguredAt);
    }

    [Fact]
    public async Task Every_reconcile_is_reported_with_its_trigger()
    {
        using var d = new Daemonlet();
        var seen = new List<string>();
        d.Coordinator.Applied += (trigger, _) => seen.Add(trigger);

        await d.Coordinator.ApplyAsync(PlanCases.Config(("static", PlanCases.Static())), DesiredPeering.Empty, "batch 1", rollbackOnFailure: true, CancellationToken.None);
        await d.Coordinator.ApplyAsync(DesiredConfig.Empty, DesiredPeering.Empty, "cleanup", rollbackOnFailure: false, CancellationToken.None);

        Assert.Equal(["batch 1", "cleanup"], seen);
        Assert.DoesNotContain(d.Box.Kernel.Routes, r => r.Destination == "172.16.0.0/12");
    }
}
