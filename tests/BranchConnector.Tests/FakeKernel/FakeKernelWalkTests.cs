using BranchConnector.Agent.Reconcile;
using CsCheck;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>
/// The reconciler end to end on the fake kernel: the configurations of <see cref="Configurations"/> applied one
/// after another in random orders (CsCheck shrinks a failing order), each step observe → plan → apply, then:
/// the kernel holds exactly the intent (checked by <see cref="Expected"/>, not by the planner), nothing foreign
/// changed, and a second plan is empty. The walk ends with cleanup, which must leave only the foreign state.
/// </summary>
public class FakeKernelWalkTests
{
    [Fact]
    public async Task Every_order_of_configurations_converges_and_leaves_foreign_state_alone()
    {
        var names = Configurations.All.Select((c, i) => i).ToArray();
        var orders = Gen.Shuffle(names, 3, names.Length).Select(o => o.ToArray());
        await orders.SampleAsync(async order => await WalkAsync(order), iter: 25, threads: 1,
            print: order => string.Join(" → ", order.Select(i => Configurations.All[i].Name)));
    }

    [Fact]
    public async Task Each_configuration_from_a_fresh_box_and_back()
    {
        foreach (var i in Enumerable.Range(0, Configurations.All.Count)) await WalkAsync([i]);
    }

    [Fact]
    public async Task Changing_a_peer_keeps_the_others_sessions()
    {
        var box = new Box();
        var two = await Configurations.All.Single(c => c.Name == "wireguard peering two members").Intent();
        await Step(box, two, "two members");
        var first = box.Kernel.WgDevices["wg2"].Peers.Single(p => p.PublicKey == Protocol.Docs.KeyA);
        first.LatestHandshake = 1_700_000_000;
        first.RxBytes = 4242;
        await Step(box, await Configurations.All.Single(c => c.Name == "wireguard peering").Intent(), "one member");
        Assert.Same(first, box.Kernel.WgDevices["wg2"].Peers.Single());
        Assert.Equal(4242, first.RxBytes);
        Assert.DoesNotContain(box.Kernel.Log, r => r.CommandLine.Contains("link del", StringComparison.Ordinal));
    }

    private static async Task WalkAsync(int[] order)
    {
        var box = new Box();
        var foreign = box.Foreign();
        var before = box.Kernel.Dump();
        var addresses = box.Kernel.Links.ToDictionary(l => l.Name, l => (IReadOnlyList<string>)[.. l.Addresses]);
        foreach (var i in order)
        {
            var (name, build) = Configurations.All[i];
            var intent = await build();
            await Step(box, intent, name);
            Expected.Holds(box.Kernel, intent, box.Retiring, addresses);
            Assert.Equal(foreign, box.Foreign());
        }
        await Step(box, KernelIntent.RemoveEverything, "cleanup");
        Assert.Equal(before, box.Kernel.Dump());
    }

    private static async Task Step(Box box, KernelIntent intent, string name)
    {
        var (plan, result) = await box.ReconcileAsync(intent);
        Assert.True(plan.Problems.Count == 0, $"{name}: {string.Join("; ", plan.Problems.Select(p => p.Message))}");
        Assert.True(result.Succeeded, $"{name}: {result.Failure?.CommandText}: {result.Failure?.Stderr}\n{PlanRenderer.Render(plan)}");
        var again = await box.PlanAsync(intent);
        Assert.True(again.IsEmpty, $"{name}: second plan not empty:\n{PlanRenderer.Render(again)}");
    }
}
