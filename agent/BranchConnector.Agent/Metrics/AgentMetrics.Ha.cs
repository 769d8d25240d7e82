using BranchConnector.Agent.Ha;
using Prometheus;

namespace BranchConnector.Agent.Metrics;

/// <summary>The redundant pair's series (docs/observability.md): absent without the `ha` topic.</summary>
public sealed partial class AgentMetrics
{
    private static readonly string[] HaStates = [HaStatePayload.Master, HaStatePayload.Backup, HaStatePayload.Fault, HaStatePayload.Draining, HaStatePayload.Stopped];
    private LabelledSeries<Gauge.Child>? _haState;
    private LabelledSeries<Gauge.Child>? _haSince;

    /// <summary>Called under the update lock: one series per state (1 for the current one), and when it began.</summary>
    private void UpdateHa(HaStatePayload? ha)
    {
        // Created with the first HaState: a box that is not part of a pair shows no HA series at all.
        if (ha is null && _haState is null) return;
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _haState ??= new(f.CreateGauge(Prefix + "ha_state", "1 for the pair's current VRRP state (master, backup, fault, draining, stopped), 0 for the others; absent without the ha topic.", "group", "vrid", "state"));
        _haSince ??= new(f.CreateGauge(Prefix + "ha_state_since_seconds", "When the pair entered its current state, seconds since the Unix epoch.", "group", "vrid"));
        if (ha is not null)
        {
            var vrid = ha.Vrid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var s in HaStates) _haState[ha.Group, vrid, s].Set(s == ha.State ? 1 : 0);
            _haSince[ha.Group, vrid].Set(ha.Since.ToUnixTimeMilliseconds() / 1000.0);
        }
        _haState.Sweep();
        _haSince.Sweep();
    }
}
