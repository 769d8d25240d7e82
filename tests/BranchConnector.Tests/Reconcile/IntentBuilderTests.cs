using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Reconcile;

public class IntentBuilderTests
{
    private const string HubKey = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";

    private static DesiredConfig Config(params StaticRoute[] routes) => DesiredConfig.Empty with
    {
        Backbone = new BackboneSpec("wg0", true, ["10.255.0.2/32"], 51820, 1420, HubKind.DedicatedEdge,
            new HubPeer("hub", HubKey, new Endpoint("192.0.2.1", 51820), ["10.20.0.0/16", "10.255.0.0/24"], 25, null), []),
        Routes = routes,
    };

    [Fact]
    public async Task A_static_route_wins_over_the_same_route_derived_from_allowed_ips()
    {
        var explicitRoute = new StaticRoute("10.20.0.0/16", "10.255.0.1", "wg0", null, 254);
        var intent = await IntentBuilder.BuildAsync(Config(explicitRoute), DesiredPeering.Empty,
            new OfflineIntentEnvironment(new Dictionary<string, string>()), CancellationToken.None);

        var toDc = Assert.Single(intent.Routes, r => r.Destination == "10.20.0.0/16");
        Assert.Equal("10.255.0.1", toDc.Gateway);
        Assert.Single(intent.Routes, r => r.Destination == "10.255.0.0/24");
    }

    [Fact]
    public async Task Allowed_ips_become_routes_via_the_backbone()
    {
        var intent = await IntentBuilder.BuildAsync(Config(), DesiredPeering.Empty,
            new OfflineIntentEnvironment(new Dictionary<string, string>()), CancellationToken.None);
        Assert.All(intent.Routes, r => Assert.Equal("wg0", r.Device));
        Assert.Equal(["10.20.0.0/16", "10.255.0.0/24"], intent.Routes.Select(r => r.Destination).Order(StringComparer.Ordinal));
    }
}
