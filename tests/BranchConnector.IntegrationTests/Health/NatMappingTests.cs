using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health;
using BranchConnector.Agent.Health.Stun;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Health;

/// <summary>
/// The STUN client against two real coturn servers, from a socket created inside a client namespace,
/// through real iptables NAT in a router namespace.
/// </summary>
public sealed class NatMappingTests : IAsyncLifetime
{
    private static readonly StunTiming Quick = new(TimeSpan.FromMilliseconds(200), 4, 4);
    private static readonly Endpoint[] Servers =
    [
        new(StunTopology.ServerA, StunTopology.Port),
        new(StunTopology.ServerB, StunTopology.Port),
    ];

    private readonly NetnsWorld _world = new();
    private StunTopology? _topology;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_topology is not null) await _topology.DisposeAsync();
        await _world.DisposeAsync();
    }

    private async Task<(StunQueryResult Query, StunResult Result)> QueryFromClientAsync()
    {
        var client = new StunClient(Quick, NetnsSocketFactory.For(_topology!.Client), "branch-connector test");
        using var socket = NetnsSocketFactory.Create(_topology.Client, AddressFamily.InterNetwork);
        var query = await client.QueryAsync(socket, Servers);
        return (query, NatClassifier.Classify(query, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Client_directly_on_the_internet_segment_has_no_nat()
    {
        _topology = await StunTopology.DirectAsync(_world);

        var (query, result) = await QueryFromClientAsync();

        Assert.True(query.Answers.All(a => a.Answered), _topology.ServerLogs);
        Assert.Equal(_topology.ClientAddress, query.LocalEndPoint?.Address.ToString());
        Assert.Equal("none", result.NatMapping);
        Assert.Equal($"198.51.100.5:{query.LocalEndPoint!.Port}", result.MappedAddress);
        Assert.Equal("203.0.113.10:3478", result.Server);
        Assert.False(result.UdpBlocked);
    }

    [Fact]
    public async Task Plain_masquerade_keeps_one_mapping_for_both_servers()
    {
        _topology = await StunTopology.BehindRouterAsync(_world);
        await _topology.RouterIptablesAsync("-t", "nat", "-A", "POSTROUTING", "-o", _topology.RouterWan, "-j", "MASQUERADE");

        var (query, result) = await QueryFromClientAsync();

        Assert.True(query.Answers.All(a => a.Answered), _topology.ServerLogs);
        Assert.Equal(IPAddress.Parse("192.168.77.2"), query.LocalEndPoint?.Address);
        Assert.All(query.Answers, a => Assert.Equal(IPAddress.Parse(StunTopology.RouterPublicAddress), a.MappedAddress!.Address));
        Assert.Equal("endpoint-independent", result.NatMapping);
        Assert.StartsWith("198.51.100.2:", result.MappedAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Masquerade_random_fully_maps_each_server_differently()
    {
        _topology = await StunTopology.BehindRouterAsync(_world);
        await _topology.RouterIptablesAsync("-t", "nat", "-A", "POSTROUTING", "-o", _topology.RouterWan, "-j", "MASQUERADE", "--random-fully");

        var (query, result) = await QueryFromClientAsync();

        Assert.True(query.Answers.All(a => a.Answered), _topology.ServerLogs);
        Assert.All(query.Answers, a => Assert.Equal(IPAddress.Parse(StunTopology.RouterPublicAddress), a.MappedAddress!.Address));
        Assert.Equal("endpoint-dependent", result.NatMapping);
    }

    [Fact]
    public async Task Udp_dropped_at_the_router_is_reported_blocked()
    {
        _topology = await StunTopology.BehindRouterAsync(_world);
        await _topology.RouterIptablesAsync("-t", "nat", "-A", "POSTROUTING", "-o", _topology.RouterWan, "-j", "MASQUERADE");
        await _topology.RouterIptablesAsync("-A", "FORWARD", "-p", "udp", "-j", "DROP");

        var (query, result) = await QueryFromClientAsync();

        Assert.All(query.Answers, a => Assert.False(a.Answered));
        Assert.True(result.UdpBlocked);
        Assert.Equal("unknown", result.NatMapping);
        Assert.Null(result.MappedAddress);
    }

    [Fact]
    public async Task Host_facts_inside_the_client_namespace_list_only_its_addresses()
    {
        _topology = await StunTopology.DirectAsync(_world);

        var facts = await new HostFactsCollector(new NetnsCommandRunner(_topology.Client)).CollectAsync(CancellationToken.None);

        Assert.Contains("198.51.100.5", facts.PrivateIps);
        Assert.DoesNotContain("127.0.0.1", facts.PrivateIps);
        Assert.DoesNotContain("::1", facts.PrivateIps);
        Assert.All(facts.PrivateIps, ip => Assert.True(ip == "198.51.100.5" || ip.StartsWith("fe80:", StringComparison.Ordinal), ip));
    }
}
