using System.Text.Json;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Status;

/// <summary>The real daemon (a broker but no controller: an unapproved box) and the real CLI, as separate processes.</summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private readonly NetnsWorld _world = new();
    private AgentProcess? _agent;
    private MosquittoBroker? _broker;

    public async Task InitializeAsync()
    {
        var ns = await _world.AddNamespaceAsync("br");
        var serial = $"BC-ST{_world.Tag}";
        _broker = await BrokerFor(ns, serial);
        _agent = await AgentProcess.CreateAsync(ns, serial, _broker);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        await _world.DisposeAsync();
    }

    /// <summary>A broker in the box's namespace that knows the connector but no controller: it stays pending_approval.</summary>
    internal static Task<MosquittoBroker> BrokerFor(string ns, string serial) => MosquittoBroker.StartAsync(new MosquittoBrokerOptions
    {
        Namespace = ns,
        Users = new Dictionary<string, string> { [serial] = "secret-" + "pw" },
    });

    [Fact]
    public async Task Live_status_then_snapshot_fallback_after_stop()
    {
        var agent = _agent!;
        agent.Start();
        await StatusCli.WaitForSocketAsync(agent);

        // The socket answers before the first MQTT connection is up (a NativeAOT agent gets there in a few ms).
        var json = await StatusCli.RunAsync("status", "--json", "--config", agent.ConfigFile);
        for (var i = 0; i < 100 && json.ExitCode == 0 && !BrokerConnected(json.Stdout); i++)
        {
            await Task.Delay(100);
            json = await StatusCli.RunAsync("status", "--json", "--config", agent.ConfigFile);
        }
        Assert.True(json.ExitCode == 0, json.Describe() + "\n" + agent.Output);
        using (var doc = JsonDocument.Parse(json.Stdout))
        {
            var s = doc.RootElement;
            Assert.Equal(agent.Serial, s.GetProperty("serial").GetString());
            Assert.Equal("daemon", s.GetProperty("source").GetString());
            Assert.Equal("pending_approval", s.GetProperty("state").GetString());
            Assert.Equal(_broker!.Url.ToString().TrimEnd('/'), s.GetProperty("broker").GetProperty("url").GetString());
            Assert.Equal(JsonValueKind.Null, s.GetProperty("config").ValueKind);
            Assert.Equal(0, s.GetProperty("routes").GetInt32());
            Assert.Equal("userspace", s.GetProperty("wireguard_implementation").GetString());
            Assert.Equal(JsonValueKind.Array, s.GetProperty("tunnels").ValueKind);
        }

        var human = await StatusCli.RunAsync("status", "--config", agent.ConfigFile);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"serial    {agent.Serial} (live from the daemon)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("state     pending_approval", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("tunnels   none", human.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await StatusCli.RunAsync("status", "--check", "live", "--config", agent.ConfigFile)).ExitCode);
        var ready = await StatusCli.RunAsync("status", "--check", "ready", "--config", agent.ConfigFile);
        Assert.Equal(1, ready.ExitCode);
        Assert.Contains("not ready: state is pending_approval", ready.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await StatusCli.RunAsync("status", "--check", "sideways", "--config", agent.ConfigFile)).ExitCode);

        Assert.Equal(0, await agent.StopAsync());
        Assert.False(File.Exists(Path.Combine(agent.RuntimeDir, "agent.sock")));
        Assert.True(File.Exists(Path.Combine(agent.StateDir, "status.json")));

        var fallback = await StatusCli.RunAsync("status", "--json", "--config", agent.ConfigFile);
        Assert.Equal(1, fallback.ExitCode);
        Assert.Contains("not running", fallback.Stderr, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(fallback.Stdout))
        {
            Assert.Equal("snapshot", doc.RootElement.GetProperty("source").GetString());
            Assert.Equal(agent.Serial, doc.RootElement.GetProperty("serial").GetString());
        }
        var humanFallback = await StatusCli.RunAsync("status", "--config", agent.ConfigFile);
        Assert.Equal(1, humanFallback.ExitCode);
        Assert.Contains("(daemon not running: last persisted snapshot)", humanFallback.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await StatusCli.RunAsync("status", "--check", "live", "--config", agent.ConfigFile)).ExitCode);
        Assert.Equal(1, (await StatusCli.RunAsync("status", "--check", "ready", "--config", agent.ConfigFile)).ExitCode);
    }

    [Fact]
    public async Task A_user_neither_root_nor_in_the_group_is_refused()
    {
        var agent = _agent!;
        var user = $"bcst{_world.Tag}";
        await Sh.OkAsync("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user);
        try
        {
            agent.Start();
            await StatusCli.WaitForSocketAsync(agent);
            // Let the user reach the socket and read the settings, so the daemon's own peer check is what refuses.
            File.SetUnixFileMode(agent.Directory, (UnixFileMode)Convert.ToInt32("755", 8));
            File.SetUnixFileMode(agent.ConfigFile, (UnixFileMode)Convert.ToInt32("644", 8));
            var socket = Path.Combine(agent.RuntimeDir, "agent.sock");
            Assert.Equal((UnixFileMode)Convert.ToInt32("660", 8), File.GetUnixFileMode(socket));
            File.SetUnixFileMode(socket, (UnixFileMode)Convert.ToInt32("666", 8));

            var refused = await StatusCli.RunAsUserAsync(user, "status", "--config", agent.ConfigFile);
            Assert.Equal(1, refused.ExitCode);
            var uid = (await Sh.OkAsync("id", "-u", user)).Trim();
            Assert.Contains($"permission denied: uid {uid} is neither root nor in group branch-connector", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal("", refused.Stdout);
            Assert.Contains("status socket: refused uid " + uid, agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            await Sh.RunAsync("userdel", user);
        }
    }

    private static bool BrokerConnected(string statusJson)
    {
        using var doc = JsonDocument.Parse(statusJson);
        return doc.RootElement.GetProperty("broker").GetProperty("connected").GetBoolean();
    }
}
