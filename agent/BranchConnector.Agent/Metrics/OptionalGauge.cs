using Prometheus;

namespace BranchConnector.Agent.Metrics;

/// <summary>An unlabelled gauge that is absent from the scrape while its value is unknown (rather than a misleading 0).</summary>
internal sealed class OptionalGauge(Gauge gauge)
{
    public void Set(double? value)
    {
        if (value is { } v)
        {
            gauge.Set(v);
            gauge.Publish();
        }
        else
        {
            gauge.Unpublish();
        }
    }
}
