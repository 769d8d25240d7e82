using System.Text.Json.Nodes;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Tests.FakeKernel;
using BranchConnector.Tests.Golden;
using BranchConnector.Tests.Xfrm;
using CsCheck;

namespace BranchConnector.Tests.Properties;

/// <summary>
/// The planner for generated pairs (observed, desired): the box is brought to a generated state A (on top of
/// generated foreign objects), then the plan for a generated B is applied. B then holds exactly (checked by the
/// independent <see cref="Expected"/>), no foreign object was removed or changed, and plan(B, B) is empty.
/// </summary>
public class PlannerPropertyTests
{
    /// <summary>A generated batch + peering: static routes, LAN addresses, hub allowed IPs, nat, acl, IPSec links.</summary>
    private sealed record Spec(bool Backbone, string[] HubAllowed, (int Net, int Len, int? Metric, int Table, bool ViaWg, bool Gateway)[] Routes,
        int[] LanHosts, bool Nat, bool Acl, int[] IpsecLinks)
    {
        public async Task<KernelIntent> IntentAsync()
        {
            var commands = new List<(string, JsonObject)>();
            if (LanHosts.Length > 0)
                commands.Add(("interface", new JsonObject { ["interfaces"] = new JsonArray(new JsonObject
                    { ["name"] = "lan0", ["addresses"] = new JsonArray(LanHosts.Select(h => (JsonNode)$"192.168.{10 + h / 4}.{1 + h % 4}/24").ToArray()) }) }));
            commands.Add(("wireguard", Backbone ? PlanCases.WireGuard("dedicated_edge", HubAllowed) : PlanCases.WireGuard("none")));
            var routes = Routes.Where(r => Backbone || !r.ViaWg)
                .DistinctBy(r => (Destination(r), r.Table, r.Metric ?? 0))
                .Select(r =>
                {
                    var o = new JsonObject { ["destination"] = Destination(r), ["interface"] = r.ViaWg ? "wg0" : "lan0", ["table"] = r.Table };
                    if (r.Gateway) o["gateway"] = r.ViaWg ? "10.255.0.1" : "192.168.10.254";
                    if (r.Metric is int m) o["metric"] = m;
                    return (JsonNode)o;
                }).ToArray();
            if (routes.Length > 0) commands.Add(("static", new JsonObject { ["routes"] = new JsonArray(routes) }));
            if (Nat) commands.Add(("nat44", PlanCases.Nat()));
            if (Acl) commands.Add(("acl", PlanCases.Acl()));
            var links = IpsecLinks.Distinct().Select(i => i switch
            {
                0 => Peerings.L1,
                1 => Peerings.L2,
                _ => Peerings.Link("l-1", "198.51.100.9", ["192.168.10.0/24"], ["10.40.0.0/16"], 0xc011, 0xc012, 0x31),
            }).DistinctBy(l => l.Id).ToArray();
            return await Box.IntentAsync(PlanCases.Config([.. commands]), links.Length == 0 ? DesiredPeering.Empty : Peerings.Of(links));
        }

        private static string Destination((int Net, int Len, int? Metric, int Table, bool ViaWg, bool Gateway) r) =>
            IpText.Network($"172.{16 + r.Net % 16}.{r.Net}.0/{r.Len}");
    }

    private static readonly Gen<Spec> Specs = Gen.Select(
        Gen.Bool,
        Gen.OneOf("10.0.0.0/8", "10.100.0.0/16", "0.0.0.0/0", "172.20.0.0/16").Array[1, 3].Select(a => a.Distinct().ToArray()),
        Gen.Select(Gen.Int[0, 40], Gen.Int[12, 32], Gen.Int[0, 300].Nullable(), Gen.OneOf(254, 100, 200), Gen.Bool, Gen.Bool).Array[0, 5],
        Gen.Int[0, 11].Array[0, 3].Select(a => a.Distinct().ToArray()),
        Gen.Bool, Gen.Bool,
        Gen.Int[0, 2].Array[0, 2])
        .Select(t => new Spec(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7));

    [Fact]
    public async Task Executing_the_plan_yields_the_desired_state_and_touches_nothing_foreign()
    {
        await Gen.Select(Specs, Specs, Gen.Bool).SampleAsync(async (a, b, foreign) =>
        {
            var box = new Box(foreign);
            var before = box.Foreign();
            var addresses = box.Kernel.Links.ToDictionary(l => l.Name, l => (IReadOnlyList<string>)[.. l.Addresses]);
            var first = await a.IntentAsync();
            await Apply(box, first);
            var second = await b.IntentAsync();
            await Apply(box, second);
            Expected.Holds(box.Kernel, second, box.Retiring, addresses);
            Assert.Equal(before, box.Foreign());
            var again = await box.PlanAsync(second);
            Assert.True(again.IsEmpty, PlanRenderer.Render(again));
        }, iter: 80, threads: 1);
    }

    private static async Task Apply(Box box, KernelIntent intent)
    {
        var (plan, result) = await box.ReconcileAsync(intent);
        Assert.True(result.Succeeded, $"{result.Failure?.CommandText}: {result.Failure?.Stderr}\n{PlanRenderer.Render(plan)}");
    }
}
