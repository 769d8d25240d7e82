using BranchConnector.Tests.Golden;

namespace BranchConnector.Tests.Hosting;

/// <summary>The drift check re-applies the applied documents: nothing planned is no drift; anything planned is repaired and counted.</summary>
public sealed class DriftCheckTests
{
    [Fact]
    public async Task A_deleted_route_is_put_back_and_counted_once()
    {
        using var d = new Daemonlet();
        var confirm = await d.Batches.HandleAsync(Daemonlet.Batch(3, ("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard()), ("static", PlanCases.Static())),
            d.Clock.GetUtcNow(), CancellationToken.None);
        Assert.True(confirm.Success, confirm.Error?.Message);
        var repaired = 0;
        d.Drift.Repaired += () => repaired++;

        await d.Drift.RunOnceAsync("drift check", CancellationToken.None);
        Assert.Equal((0, 0L), (repaired, d.State.Persisted.DriftRepairs));

        Assert.Equal(1, d.Box.Kernel.Routes.RemoveAll(r => r.Destination == "172.16.0.0/12"));
        await d.Drift.RunOnceAsync("drift check", CancellationToken.None);

        Assert.Contains(d.Box.Kernel.Routes, r => r.Destination == "172.16.0.0/12");
        Assert.Equal((1, 1L), (repaired, d.State.Persisted.DriftRepairs));
        await d.Drift.RunOnceAsync("drift check", CancellationToken.None);
        Assert.Equal(1L, d.State.Persisted.DriftRepairs);
    }
}
