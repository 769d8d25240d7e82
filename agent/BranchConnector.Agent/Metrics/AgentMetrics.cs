using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using BranchConnector.Agent.Health;
using BranchConnector.Agent.Health.Stun;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Reconcile;
using Prometheus;

namespace BranchConnector.Agent.Metrics;

/// <summary>
/// The agent's Prometheus series (names and meaning in docs/observability.md). Events (an apply, a Confirm) are
/// recorded as they happen; everything else is copied from <see cref="MetricsInputs"/> right before each scrape,
/// so /metrics never measures anything itself. The registry is private to the agent: no process or runtime
/// adapters are started.
/// </summary>
public sealed partial class AgentMetrics
{
    private const string Prefix = "branch_connector_";
    private static readonly string[] TunnelStates = [TunnelHealth.Active, TunnelHealth.Pending, TunnelHealth.Down];
    private static readonly string[] PeerPaths = ["direct", "relayed", TunnelHealth.Down];
    private static readonly string[] NatMappings = [NatMapping.None, NatMapping.EndpointIndependent, NatMapping.EndpointDependent, NatMapping.Unknown];
    private static readonly string[] LifecycleStates = Enum.GetValues<LifecycleState>().Select(s => s.ToWire()).ToArray();

    private static GaugeConfiguration Unset => new() { SuppressInitialValue = true };

    private readonly Lock _lock = new();
    private Func<MetricsInputs?>? _source;

    private readonly Gauge _agentInfo;
    private readonly LabelledSeries<Gauge.Child> _lifecycle;
    private readonly LabelledSeries<Gauge.Child> _tunnelStatus;
    private readonly LabelledSeries<Gauge.Child> _tunnelHandshakeAge;
    private readonly LabelledSeries<Counter.Child> _tunnelRx;
    private readonly LabelledSeries<Counter.Child> _tunnelTx;
    private readonly LabelledSeries<Gauge.Child> _peerStatus;
    private readonly LabelledSeries<Gauge.Child> _peerPath;
    private readonly LabelledSeries<Gauge.Child> _peerHandshakeAge;
    private readonly LabelledSeries<Counter.Child> _peerRx;
    private readonly LabelledSeries<Counter.Child> _peerTx;
    private readonly Histogram _applyDuration;
    private readonly Counter _applyResults;
    private readonly Counter _driftRepairs;
    private readonly Gauge _mqttConnected;
    private readonly Counter _mqttReconnects;
    private readonly OptionalGauge _clockOffset;
    private readonly LabelledSeries<Gauge.Child> _natMapping;
    private readonly OptionalGauge _udpBlocked;
    private readonly Gauge _startTime;

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    /// <summary>The daemon's clock, for the scrape-time values (tests pass a fake one).</summary>
    private readonly TimeProvider _clock;

    public AgentMetrics(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        f.CreateGauge(Prefix + "build_info", "Always 1; the agent's version and .NET runtime as labels.", "version", "runtime")
            .WithLabels(AgentInfo.Version, RuntimeInformation.FrameworkDescription).Set(1);
        _agentInfo = f.CreateGauge(Prefix + "agent_info", "Always 1; serial, WireGuard implementation and firewall backend as labels.", "serial", "wireguard_implementation", "firewall_backend");
        _lifecycle = new(f.CreateGauge(Prefix + "lifecycle_state", "1 for the agent's current lifecycle state, 0 for the others.", "state"));
        _startTime = f.CreateGauge(Prefix + "start_time_seconds", "When the daemon started, seconds since the Unix epoch.");

        string[] tunnel = ["interface", "kind"];
        _tunnelStatus = new(f.CreateGauge(Prefix + "tunnel_status", "1 for the tunnel's current status (active, pending, down), 0 for the others.", [.. tunnel, "status"]));
        _tunnelHandshakeAge = new(f.CreateGauge(Prefix + "tunnel_handshake_age_seconds", "Seconds since the backbone's last WireGuard handshake with the hub; absent before the first.", tunnel));
        _tunnelRx = new(f.CreateCounter(Prefix + "tunnel_receive_bytes_total", "Bytes received from the hub over the backbone, as WireGuard counts them.", tunnel));
        _tunnelTx = new(f.CreateCounter(Prefix + "tunnel_transmit_bytes_total", "Bytes sent to the hub over the backbone, as WireGuard counts them.", tunnel));

        string[] peer = ["interface", "peer"];
        _peerStatus = new(f.CreateGauge(Prefix + "peer_status", "1 for the peering member's current status (active, pending, down), 0 for the others.", [.. peer, "status"]));
        _peerPath = new(f.CreateGauge(Prefix + "peer_path", "1 for the path to the peering member (direct, relayed, down), 0 for the others.", [.. peer, "path"]));
        _peerHandshakeAge = new(f.CreateGauge(Prefix + "peer_handshake_age_seconds", "Seconds since the last direct WireGuard handshake with the member; absent before the first.", peer));
        _peerRx = new(f.CreateCounter(Prefix + "peer_receive_bytes_total", "Bytes received directly from the member, as WireGuard counts them.", peer));
        _peerTx = new(f.CreateCounter(Prefix + "peer_transmit_bytes_total", "Bytes sent directly to the member, as WireGuard counts them.", peer));

        _applyDuration = f.CreateHistogram(Prefix + "apply_duration_seconds", "Duration of one observe-plan-apply, by what triggered it.",
            new HistogramConfiguration { LabelNames = ["trigger"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });
        _applyResults = f.CreateCounter(Prefix + "apply_results_total", "Confirms sent, by document kind and result: success or the error code.", "kind", "result");
        _driftRepairs = f.CreateCounter(Prefix + "drift_repairs_total", "Kernel objects repaired after someone else changed them (kept across restarts).");
        _mqttConnected = f.CreateGauge(Prefix + "mqtt_connected", "1 while the broker session is connected.");
        _mqttReconnects = f.CreateCounter(Prefix + "mqtt_reconnects_total", "Broker connections made after the first one since the daemon started.");
        _clockOffset = new(f.CreateGauge(Prefix + "clock_offset_seconds", "This box's clock minus the hub's, from the last time reply; absent until one arrived.", Unset));
        _natMapping = new(f.CreateGauge(Prefix + "nat_mapping", "1 for the NAT mapping STUN found (none, endpoint-independent, endpoint-dependent, unknown); absent until checked.", "mapping"));
        _udpBlocked = new(f.CreateGauge(Prefix + "udp_blocked", "1 when no STUN server answered over UDP; absent until checked.", Unset));

        Registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>Where a scrape takes its values from (the running daemon); before this, a scrape shows only the event series.</summary>
    public void Attach(Func<MetricsInputs?> source) => _source = source;

    /// <summary>One observe-plan-apply finished (ApplyCoordinator.Applied).</summary>
    public void ObserveApply(string trigger, ReconcileOutcome outcome) =>
        _applyDuration.WithLabels(TriggerLabel(trigger)).Observe(outcome.Duration.TotalSeconds);

    /// <summary>A Confirm went out: counted under "success" or its error code.</summary>
    public void CountConfirm(string kind, ConfirmPayload confirm) =>
        _applyResults.WithLabels(kind, confirm.Success ? "success" : confirm.Error?.Code ?? "unknown").Inc();

    /// <summary>"batch 42" → "batch", "drift check" → "drift_check": one series per kind of trigger, not per document.</summary>
    public static string TriggerLabel(string trigger)
    {
        var text = TrailingNumber().Replace(trigger.Trim(), "").ToLowerInvariant();
        text = NonWord().Replace(text, "_").Trim('_');
        return text.Length == 0 ? "other" : text;
    }

    private void Refresh()
    {
        if (_source?.Invoke() is { } inputs) Update(inputs, _clock.GetUtcNow());
    }

    /// <summary>Copies the daemon's picture into the series (called before each scrape; tests call it directly).</summary>
    public void Update(MetricsInputs inputs, DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var labels in _agentInfo.GetAllLabelValues().ToList()) _agentInfo.RemoveLabelled(labels);
            _agentInfo.WithLabels(inputs.Serial, inputs.WireguardImplementation, inputs.FirewallBackend).Set(1);
            _startTime.Set(inputs.StartedAt.ToUnixTimeMilliseconds() / 1000.0);
            foreach (var state in LifecycleStates) _lifecycle[state].Set(state == inputs.LifecycleState ? 1 : 0);
            _lifecycle.Sweep();

            UpdateTunnels(inputs.Tunnels, now);

            MirrorCounter(_driftRepairs, inputs.DriftRepairs);
            _mqttConnected.Set(inputs.MqttConnected ? 1 : 0);
            MirrorCounter(_mqttReconnects, Math.Max(0, inputs.MqttConnects - 1));
            _clockOffset.Set(inputs.ClockOffsetMs / 1000.0);
            if (inputs.NatMapping is { } mapping)
                foreach (var m in NatMappings) _natMapping[m].Set(m == mapping ? 1 : 0);
            _natMapping.Sweep();
            _udpBlocked.Set(inputs.UdpBlocked is { } blocked ? blocked ? 1 : 0 : null);
            UpdateHa(inputs.Ha);
        }
    }

    private void UpdateTunnels(TunnelsReading? reading, DateTimeOffset now)
    {
        // The reading is at most a status poll old; ages move on with the clock, byte counts are as read.
        var elapsed = reading is null ? 0 : Math.Max(0, (long)(now - reading.At).TotalSeconds);
        foreach (var t in reading?.Tunnels ?? [])
        {
            foreach (var s in TunnelStates) _tunnelStatus[t.Interface, t.Kind, s].Set(s == t.Status ? 1 : 0);
            if (t.HandshakeAgeS is { } age) _tunnelHandshakeAge[t.Interface, t.Kind].Set(age + elapsed);
            if (t.RxBytes is { } rx) Mirror(_tunnelRx, rx, t.Interface, t.Kind);
            if (t.TxBytes is { } tx) Mirror(_tunnelTx, tx, t.Interface, t.Kind);
            foreach (var p in t.Peers ?? [])
            {
                foreach (var s in TunnelStates) _peerStatus[t.Interface, p.Serial, s].Set(s == p.Status ? 1 : 0);
                foreach (var path in PeerPaths) _peerPath[t.Interface, p.Serial, path].Set(path == p.Path ? 1 : 0);
                if (p.HandshakeAgeS is { } peerAge) _peerHandshakeAge[t.Interface, p.Serial].Set(peerAge + elapsed);
                Mirror(_peerRx, p.RxBytes, t.Interface, p.Serial);
                Mirror(_peerTx, p.TxBytes, t.Interface, p.Serial);
            }
        }
        foreach (var series in new[] { _tunnelStatus, _tunnelHandshakeAge, _peerStatus, _peerPath, _peerHandshakeAge }) series.Sweep();
        foreach (var series in new[] { _tunnelRx, _tunnelTx, _peerRx, _peerTx }) series.Sweep();
    }

    /// <summary>A counter kept by someone else (WireGuard): follows it, and starts over when it went down (device re-created).</summary>
    private static void Mirror(LabelledSeries<Counter.Child> series, long value, params string[] labels)
    {
        if (series[labels].Value > value) series.Reset(labels);
        series[labels].IncTo(value);
    }

    private static void MirrorCounter(Counter counter, long value)
    {
        // These never go down within one daemon (drift repairs are persisted, connects only grow).
        counter.IncTo(value);
    }

    [GeneratedRegex(@"\s+\d+$")]
    private static partial Regex TrailingNumber();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonWord();
}
