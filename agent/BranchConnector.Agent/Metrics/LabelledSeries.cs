using Prometheus;

namespace BranchConnector.Agent.Metrics;

/// <summary>
/// The children of one labelled metric that a scrape refreshes as a whole: what was set in this round stays,
/// any other label set (a removed tunnel, a member that left) is dropped, so no stale series lingers.
/// </summary>
internal sealed class LabelledSeries<TChild>(Collector<TChild> metric) where TChild : ChildBase
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public TChild this[params string[] labels]
    {
        get
        {
            _seen.Add(Key(labels));
            return metric.WithLabels(labels);
        }
    }

    /// <summary>Forgets a child (a mirrored counter that went down, i.e. was reset) so it starts again from zero.</summary>
    public void Reset(params string[] labels) => metric.RemoveLabelled(labels);

    /// <summary>Removes every child not touched since the last call.</summary>
    public void Sweep()
    {
        foreach (var labels in metric.GetAllLabelValues().ToList())
            if (!_seen.Contains(Key(labels))) metric.RemoveLabelled(labels);
        _seen.Clear();
    }

    private static string Key(string[] labels) => string.Join('\u001f', labels);
}
