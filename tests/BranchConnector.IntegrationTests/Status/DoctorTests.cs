using System.Text.Json;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Health;

namespace BranchConnector.IntegrationTests.Status;

/// <summary>`doctor` run in a client namespace behind a real NAT router, against two real coturn STUN servers.</summary>
public sealed class DoctorTests : IAsyncLifetime
{
    private readonly NetnsWorld _world = new();
    private StunTopology? _topology;
    private AgentProcess? _agent;
    private MosquittoBroker? _broker;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        if (_topology is not null) await _topology.DisposeAsync();
        await _world.DisposeAsync();
    }

    private async Task<(int Exit, Dictionary<string, JsonElement> Checks, string Raw)> DoctorAsync()
    {
        var r = await StatusCli.RunInNamespaceAsync(_topology!.Client, "doctor", "--json", "--config", _agent!.ConfigFile);
        using var doc = JsonDocument.Parse(r.Stdout);
        var checks = new Dictionary<string, JsonElement>();
        foreach (var c in doc.RootElement.GetProperty("checks").EnumerateArray())
            checks.TryAdd(c.GetProperty("check").GetString()!, c.Clone());
        return (r.ExitCode, checks, r.Stdout + r.Stderr + _topology.ServerLogs);
    }

    [Fact]
    public async Task Reports_the_nat_mapping_then_fails_when_udp_is_dropped()
    {
        _topology = await StunTopology.BehindRouterAsync(_world);
        await _topology.RouterIptablesAsync("-t", "nat", "-A", "POSTROUTING", "-o", _topology.RouterWan, "-j", "MASQUERADE");
        var serial = $"BC-DR{_world.Tag}";
        _broker = await StatusCommandTests.BrokerFor(_topology.Client, serial);
        _agent = await AgentProcess.CreateAsync(_topology.Client, serial, _broker);
        var monitoring = new JsonObject { ["stun_servers"] = new JsonArray($"{StunTopology.ServerA}:{StunTopology.Port}", $"{StunTopology.ServerB}:{StunTopology.Port}") };
        Directory.CreateDirectory(_agent.StateDir);
        await File.WriteAllTextAsync(Path.Combine(_agent.StateDir, "batch.json"), TestHub.Batch(1, ("monitoring", monitoring)).ToJsonString());

        var (_, checks, raw) = await DoctorAsync();
        Assert.Equal("ok", checks["udp"].GetProperty("verdict").GetString());
        Assert.Equal("ok", checks["nat mapping"].GetProperty("verdict").GetString());
        Assert.StartsWith("endpoint-independent", checks["nat mapping"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"{StunTopology.RouterPublicAddress}:", checks["public address"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("fail", checks["ip_forward"].GetProperty("verdict").GetString());
        Assert.Equal("warn", checks["clock offset"].GetProperty("verdict").GetString());
        Assert.True(checks.ContainsKey("wireguard"), raw);
        Assert.Equal("ok", checks["broker"].GetProperty("verdict").GetString());

        await _world.EnableForwardingAsync(_topology.Client);
        await _topology.RouterIptablesAsync("-I", "FORWARD", "-p", "udp", "-j", "DROP");
        var (exit, dropped, raw2) = await DoctorAsync();
        Assert.Equal(1, exit);
        Assert.Equal("fail", dropped["udp"].GetProperty("verdict").GetString());
        Assert.Equal("ok", dropped["ip_forward"].GetProperty("verdict").GetString());
        Assert.False(dropped.ContainsKey("nat mapping"), raw2);

        var human = await StatusCli.RunInNamespaceAsync(_topology.Client, "doctor", "--config", _agent.ConfigFile);
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("fail udp", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("hint: allow outbound UDP", human.Stdout, StringComparison.Ordinal);
    }
}
