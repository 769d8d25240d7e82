namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// What makes two routes the same route to the kernel: family, destination, table and metric. Gateway and
/// device are attributes of the route, changed in place by one `route replace`.
/// </summary>
internal readonly record struct RouteKey(IpFamily Family, string Destination, int Table, int Metric)
{
    /// <summary>IPv4 stores "no metric" as 0; IPv6 stores it (and an explicit 0) as 1024.</summary>
    public static int EffectiveMetric(IpFamily family, int? metric) =>
        family == IpFamily.V6 ? (metric is null or 0 ? 1024 : metric.Value) : metric ?? 0;

    public override string ToString() => $"{Destination} table {Table} metric {Metric}";
}
