using BranchConnector.Agent.Protocol;
using BranchConnector.Tests.Golden;

namespace BranchConnector.Tests.Hosting;

/// <summary>A batch from payload to Confirm through the real apply path on the fake kernel.</summary>
public sealed class DocumentApplierTests
{
    private static byte[] Full(long sequence) => Daemonlet.Batch(sequence,
        ("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard()), ("static", PlanCases.Static()), ("nat44", PlanCases.Nat()), ("acl", PlanCases.Acl()));

    [Fact]
    public async Task A_valid_batch_is_applied_committed_persisted_and_confirmed_per_topic()
    {
        using var d = new Daemonlet();

        var confirm = await d.Batches.HandleAsync(Full(5), d.Clock.GetUtcNow(), CancellationToken.None);

        Assert.True(confirm.Success, confirm.Error?.Message);
        Assert.Equal(["interface", "wireguard", "static", "nat44", "acl"], confirm.Results.Select(r => r.Topic));
        Assert.All(confirm.Results, r => Assert.True(r.Success && r.Changes > 0, r.Topic));
        Assert.Equal(confirm.Changes.Added + confirm.Changes.Changed + confirm.Changes.Removed, confirm.Results.Sum(r => r.Changes));
        Assert.Equal(5, d.State.AppliedBatch?.Sequence);
        Assert.Equal(5, d.State.Persisted.Config?.Sequence);
        Assert.Contains(d.Box.Kernel.Routes, r => r.Destination == "172.16.0.0/12");
        // Last-known-good on disk: what a restart starts from.
        var store = new Agent.State.StateStore(d.StateDir);
        Assert.Equal(Full(5), await store.LoadBatchAsync(CancellationToken.None));
        Assert.Equal(5, (await store.LoadAsync(CancellationToken.None)).Config?.Sequence);
    }

    [Fact]
    public async Task The_same_batch_again_is_confirmed_without_touching_the_box()
    {
        using var d = new Daemonlet();
        await d.Batches.HandleAsync(Full(5), d.Clock.GetUtcNow(), CancellationToken.None);
        var dump = d.Box.Kernel.Dump(_ => true);

        var again = await d.Batches.HandleAsync(Full(5), d.Clock.GetUtcNow(), CancellationToken.None);

        Assert.True(again.Success);
        Assert.Equal(0, again.Changes.Added + again.Changes.Removed + again.Changes.Changed);
        Assert.Equal(dump, d.Box.Kernel.Dump(_ => true));
    }

    [Fact]
    public async Task A_batch_naming_a_missing_link_changes_nothing_and_blames_its_topic()
    {
        using var d = new Daemonlet();
        var missing = PlanCases.Interface();
        missing["interfaces"]![0]!["name"] = "lan9";
        var dump = d.Box.Kernel.Dump(_ => true);

        var confirm = await d.Batches.HandleAsync(Daemonlet.Batch(6, ("static", PlanCases.Static()), ("interface", missing)), d.Clock.GetUtcNow(), CancellationToken.None);

        Assert.False(confirm.Success);
        Assert.Equal((ErrorCodes.ApplyFailed, 1, "interface"), (confirm.Error!.Code, confirm.Error.Index, confirm.Error.Topic));
        Assert.Equal(new[] { true, false }, confirm.Results.Select(r => r.Success));
        Assert.Equal(dump, d.Box.Kernel.Dump(_ => true));
        Assert.Null(d.State.AppliedBatch);
        Assert.Equal(6, d.State.FailedConfigAttempt?.Sequence);
    }

    [Fact]
    public async Task An_invalid_batch_is_rejected_with_its_path_and_nothing_runs()
    {
        using var d = new Daemonlet();
        var bad = PlanCases.Static();
        bad["routes"]![0]!["destination"] = "172.16.0.0/33";
        var dump = d.Box.Kernel.Dump(_ => true);

        var confirm = await d.Batches.HandleAsync(Daemonlet.Batch(7, ("static", bad)), d.Clock.GetUtcNow(), CancellationToken.None);

        Assert.False(confirm.Success);
        Assert.Equal(ErrorCodes.InvalidField, confirm.Error!.Code);
        Assert.StartsWith("commands[0].body.routes[0].destination", confirm.Error.Message, StringComparison.Ordinal);
        Assert.Equal(dump, d.Box.Kernel.Dump(_ => true));
    }
}
