using BranchConnector.Agent.Health;
using BranchConnector.Agent.Health.Time;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>What the reports say about the box itself, fixed at start-up.</summary>
public sealed record BoxFacts(string Serial, string WireGuardName, string FirewallName);

/// <summary>Builds the northbound report payloads from the agent state and a fresh read of the tunnels.</summary>
public sealed class Reports(AgentState state, BoxFacts box, ICommandRunner runner, KeyStore keyStore, SequenceRecordStore sequences, PersistenceHealth persistence, TimeProvider clock, Func<bool> brokerConnected)
{
    private AgentState State => state;

    /// <summary>The pair's HaState for TunnelStatus and Inform (null without the `ha` topic).</summary>
    public Func<Ha.HaStatePayload?> HaState { get; init; } = () => null;
    private string Serial => box.Serial;

    public LifecycleState EffectiveLifecycle(IReadOnlyList<TunnelStatusEntry>? tunnels = null)
    {
        var backboneActive = tunnels?.Any(t => t.Kind == TunnelStatusPayload.Backbone && t.Status == TunnelHealth.Active) ?? LastBackboneActive;
        return LifecycleMachine.Effective(State.PersistedLifecycle, brokerConnected(), backboneActive);
    }

    public bool LastBackboneActive { get; private set; }

    /// <summary>The tunnels as the last read found them (the status loop reads every few seconds); /metrics serves this.</summary>
    public TunnelsReading? LastReading { get; private set; }

    public async Task<IReadOnlyList<TunnelStatusEntry>> TunnelsAsync(CancellationToken ct)
    {
        var config = State.Config;
        var peering = State.Peering;
        var names = new List<string>();
        if (config.Backbone is { } b) names.Add(b.Interface);
        if (peering.WireGuardInterface is { } p) names.Add(p);
        var links = new List<ObservedLink>();
        var devices = new Dictionary<string, ObservedWgDevice>(StringComparer.Ordinal);
        if (names.Count > 0)
        {
            var addr = await runner.RunAsync(AddressParser.Request, ct).ConfigureAwait(false);
            if (addr.Succeeded) links.AddRange(AddressParser.Parse(addr.Stdout).Where(l => names.Contains(l.Name)));
            foreach (var name in names.Where(n => links.Any(l => l.Name == n)))
            {
                if (await WgShow.ReadAsync(runner, name, ct).ConfigureAwait(false) is { } device) devices[name] = device;
            }
        }
        var tunnels = TunnelHealth.Compute(new TunnelHealthInput(config, peering, devices, links,
            State.BackboneConfiguredAt, State.PeeringConfiguredAt, RelayedNow(), clock.GetUtcNow()));
        LastBackboneActive = tunnels.Any(t => t.Kind == TunnelStatusPayload.Backbone && t.Status == TunnelHealth.Active);
        LastReading = new TunnelsReading(tunnels, clock.GetUtcNow());
        return tunnels;
    }

    /// <summary>
    /// Members whose subnets the applied intent routes through the backbone: the path that is really in the
    /// kernel, not a switch still waiting in the work queue.
    /// </summary>
    private HashSet<string> RelayedNow()
    {
        var intent = State.AppliedIntent;
        var backbone = State.Config.Backbone?.Interface;
        var relayed = new HashSet<string>(StringComparer.Ordinal);
        if (backbone is null) return relayed;
        foreach (var member in State.Peering.WireGuardGroups.SelectMany(g => g.Members))
            if (member.AllowedIps.Count > 0 && intent.Routes.Any(r => r.Destination == member.AllowedIps[0] && r.Device == backbone))
                relayed.Add(member.Serial);
        return relayed;
    }

    public TunnelStatusPayload TunnelStatus(IReadOnlyList<TunnelStatusEntry> tunnels) => new(Serial, clock.GetUtcNow(), tunnels) { Ha = HaState() };

    public KeepalivePayload Keepalive() =>
        new(Serial, EffectiveLifecycle().ToWire(), clock.GetUtcNow(), State.UptimeSeconds, State.Persisted.Config?.Sequence);

    public StatePayload StatePayload(DateTimeOffset since, bool? online = null) =>
        new(Serial, EffectiveLifecycle().ToWire(), online ?? brokerConnected(), since, clock.GetUtcNow());

    public RegisterPayload Register() => new(
        Serial,
        System.Environment.MachineName,
        AgentInfo.Version,
        PublicKeys(),
        State.Config.Backbone?.LanSubnets ?? [],
        clock.GetUtcNow());

    public ConfigRequestPayload ConfigRequest() => new(
        Serial,
        State.Persisted.Config?.Sequence,
        State.Persisted.Config?.ConfigHash,
        State.Persisted.Peering?.Sequence,
        RekeyLinks(),
        sequences.LoadedAtStart ? ConfigRequestPayload.Kept : ConfigRequestPayload.New);

    private List<RekeyLink> RekeyLinks() =>
        [.. sequences.RekeyNeeds.Select(n => new RekeyLink(n.LinkId, Linux.Xfrm.XfrmRenderer.Hex(n.Spi), n.Reason))];

    /// <summary>Public keys by the interface they are (or will be) used on.</summary>
    public Dictionary<string, string> PublicKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var backboneIf = State.Config.Backbone?.Interface ?? KeyNames.DefaultBackboneInterface;
        var peeringIf = State.Peering.WireGuardInterface ?? KeyNames.DefaultPeeringInterface;
        if (keyStore.ReadPublicKey(KeyNames.Backbone) is { } b) keys[backboneIf] = b;
        if (keyStore.ReadPublicKey(KeyNames.Peering) is { } p) keys[peeringIf] = p;
        return keys;
    }

    public async Task<InformPayload> InformAsync(CancellationToken ct)
    {
        var facts = await new HostFactsCollector(runner, clock, startedAt: State.StartedAt).CollectAsync(ct).ConfigureAwait(false);
        var stun = State.Stun;
        var time = State.Time;
        var last = State.LastConfig;
        return new InformPayload(
            Serial, clock.GetUtcNow(), AgentInfo.Version, facts.Hostname, facts.Os ?? "unknown", facts.Kernel ?? "unknown", facts.PrivateIps,
            stun?.MappedAddress is { } mapped ? Protocol.Values.HostPort.HostOf(mapped) : null,
            stun is null ? null : new StunReport(stun.Server, stun.MappedAddress, stun.NatMapping, stun.UdpBlocked, stun.CheckedAt),
            time is null ? null : new TimeReport(time.OffsetMs, time.RttMs, time.NtpSynchronized, time.CheckedAt),
            box.WireGuardName,
            box.FirewallName,
            State.Config.Backbone?.LanSubnets ?? [],
            State.UptimeSeconds,
            State.StartedAt,
            last is null ? null : new LastConfigReport(last.Sequence, last.ConfigHash, last.AppliedAt, last.Success),
            State.Persisted.DriftRepairs,
            RekeyLinks()) { Ha = HaState() };
    }

    /// <summary>Operator-facing warnings: clock offset beyond the controller's tolerance, apply warnings, identity conflicts, files state_dir cannot save.</summary>
    public IReadOnlyList<string> Warnings(string? brokerWarning)
    {
        var list = new List<string>(State.ApplyWarnings);
        if (State.Time?.Warning is { } w) list.Add(w);
        if (brokerWarning is not null) list.Add(brokerWarning);
        list.AddRange(persistence.Warnings);
        return list;
    }
}
