using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>
/// `static`: `{ "routes": [ { "destination", "gateway", "interface", "metric", "table" } ] }`.
/// Metric and table are kernel u32 values, limited here to the int range of <see cref="StaticRoute"/>.
/// </summary>
internal sealed class StaticTopic : IBatchTopic
{
    public const string Name = "static";
    public const int MainTable = 254;
    public const int LocalTable = 255;

    public static EquatableList<StaticRoute> Read(ObjectReader body)
    {
        var result = new List<StaticRoute>();
        var seen = new HashSet<(string, int, int?)>();
        foreach (var route in body.Objects("routes"))
        {
            var destination = route.NetworkField("destination", required: true, FamilyRule.Any);
            var gateway = route.AddressField("gateway", required: false, FamilyRule.Any);
            var device = route.InterfaceNameField("interface", required: false);
            var metric = route.Int("metric", false, 0, int.MaxValue);
            var table = route.Int("table", false, 1, int.MaxValue) ?? MainTable;
            if (table == LocalTable) route.Errors.Invalid(route.PathOf("table"), "table 255 (local) belongs to the kernel");
            if (destination is not null && gateway is not null && destination.IsIPv4 != gateway.IsIPv4())
                route.Errors.Invalid(route.PathOf("gateway"), $"gateway {gateway} is {gateway.FamilyName()} but destination {destination} is not");
            if (!route.Has("gateway") && !route.Has("interface"))
                route.Errors.Invalid(route.PathOf("gateway"), "a route needs a gateway, an interface, or both");
            if (destination is null) continue;
            if (!seen.Add((destination.ToString(), table, metric)))
                route.Errors.Invalid(route.PathOf("destination"), $"route {destination} (table {table}, metric {metric?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}) is listed twice");
            result.Add(new StaticRoute(destination.ToString(), gateway?.ToString(), device, metric, table));
        }
        return result.ToEquatableList();
    }

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Routes = Read(body) };
    public Stage? OwnsRemovalsOf => Stage.Static;
}
