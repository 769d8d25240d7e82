using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>One move of the site's subnets: to whom, and when (monotonic, for the bench).</summary>
public sealed record HaMove(string Serial, string PublicKey, long Timestamp);

/// <summary>
/// The hub's half of a redundant pair, as a WireGuard hub edge does it: on HaState `master` of a box, the
/// site's lan_subnets become allowed IPs of that box's backbone peer on the hub's WireGuard device (WireGuard
/// keeps an allowed IP on one peer only, so setting it on the new master takes it from the old one). The box's
/// backbone key comes from its Register. Messages are handled one at a time, in arrival order.
/// </summary>
public sealed class HaFollower : IAsyncDisposable
{
    private readonly string? _namespace;
    private readonly string _device;
    private readonly IReadOnlyList<string> _subnets;
    private readonly string _north;
    private readonly Channel<ObservedMessage> _inbox = Channel.CreateUnbounded<ObservedMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, List<string>> _keys = new(StringComparer.Ordinal);
    private readonly List<HaMove> _moves = [];
    private readonly List<string> _log = [];
    private readonly Task _loop;

    /// <param name="ns">The hub's network namespace (null: this one).</param>
    /// <param name="device">The hub's WireGuard device.</param>
    /// <param name="subnets">The site's lan_subnets.</param>
    public HaFollower(string? ns, string device, IReadOnlyList<string> subnets, string north = "VSRE")
    {
        _namespace = ns;
        _device = device;
        _subnets = subnets;
        _north = north;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Hand every message the hub sees to this (the TestHub's onMessage tap).</summary>
    public void OnMessage(ObservedMessage message) => _inbox.Writer.TryWrite(message);

    public IReadOnlyList<HaMove> Moves { get { lock (_moves) return [.. _moves]; } }
    public IReadOnlyList<string> Log { get { lock (_log) return [.. _log]; } }

    /// <summary>Called after each move (the testhub CLI prints it).</summary>
    public Action<HaMove, string>? Moved { get; init; }

    private async Task LoopAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                await HandleAsync(message);
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
            {
                lock (_log) _log.Add($"{message.Topic}: {e.Message}");
            }
        }
    }

    private async Task HandleAsync(ObservedMessage message)
    {
        var parts = message.Topic.Split('/');
        if (parts.Length < 3 || parts[0] != _north || JsonNode.Parse(message.Payload) is not JsonObject body) return;
        var serial = parts[1];
        var kind = string.Join('/', parts.Skip(2));
        if (kind == "register" && body["public_keys"] is JsonObject keys)
        {
            _keys[serial] = [.. keys.Select(k => k.Value?.GetValue<string>()).OfType<string>()];
            return;
        }
        if (kind != "ha/state" || body["state"]?.GetValue<string>() != "master") return;
        if (!_keys.TryGetValue(serial, out var candidates)) throw new InvalidOperationException($"{serial} is master but has not registered");
        var peers = await AllowedIpsAsync();
        var key = candidates.FirstOrDefault(peers.ContainsKey) ?? throw new InvalidOperationException($"no peer of {serial} on {_device}");
        var wanted = peers[key].Concat(_subnets).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count != peers[key].Count || !_subnets.All(peers[key].Contains))
            await ExecAsync("wg", "set", _device, "peer", key, "allowed-ips", string.Join(',', wanted));
        var move = new HaMove(serial, key, Stopwatch.GetTimestamp());
        lock (_moves) _moves.Add(move);
        lock (_log) _log.Add($"{string.Join(',', _subnets)} → {serial}");
        Moved?.Invoke(move, string.Join(',', _subnets));
    }

    /// <summary>`wg show DEV allowed-ips`: one peer a line, its key then its prefixes (or "(none)").</summary>
    private async Task<Dictionary<string, List<string>>> AllowedIpsAsync()
    {
        var text = await ExecAsync("wg", "show", _device, "allowed-ips");
        var peers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            peers[fields[0]] = [.. fields.Skip(1).Where(f => f != "(none)")];
        }
        return peers;
    }

    private Task<string> ExecAsync(params string[] command) =>
        _namespace is null ? Sh.OkAsync(command[0], command[1..]) : Sh.OkAsync("ip", ["netns", "exec", _namespace, .. command]);

    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        await _loop;
    }
}
