using BranchConnector.Agent.Hosting.Documents;
using BranchConnector.Agent.Hosting.Northbound;
using BranchConnector.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Inbound;

/// <summary>The southbound topics this agent serves, one line each, and the handlers behind them.</summary>
public static class AgentRoutes
{
    public static InboundRouter Create(AgentServices s, ReportSet reports, Func<CancellationToken, Task> stopDecommissioned, ILogger log)
    {
        var confirms = new ConfirmBuilder(s.Settings.Serial, s.Clock);
        var documents = new DocumentMessages(s.Work,
            new DocumentApplier<DecodedBatch>(new BatchDocument(), s.State, s.Coordinator, s.Commit, confirms, s.Loggers.CreateLogger<BatchDocument>()),
            new DocumentApplier<DecodedPeering>(new PeeringDocument(), s.State, s.Coordinator, s.Commit, confirms, s.Loggers.CreateLogger<PeeringDocument>()),
            confirms, s.Publisher, s.Topics, reports.Register, reports.State, reports.Tunnels, reports.Inform, s.Metrics);
        var decommissioner = new Decommissioner(s.Reconciler, s.Keys, s.Store, s.Journal, s.Commit, s.Loggers.CreateLogger<Decommissioner>(), s.Ha);
        var lifecycle = new LifecycleMessages(s.Work,
            new LifecycleProcessor(s.State, s.Commit, s.Keys, s.Coordinator, decommissioner, s.Loggers.CreateLogger<LifecycleProcessor>(), s.Ha),
            reports.State, reports.Register, stopDecommissioned);
        return new InboundRouter(s.Clock, log)
            .Route(s.Topics.Batch, documents.OnBatch, documents.OnBatchTooLarge)
            .Route(s.Topics.Peering, documents.OnPeering, documents.OnPeeringTooLarge)
            .Route(s.Topics.Lifecycle, lifecycle.OnMessage)
            .Route(s.Topics.Time, reports.Time.OnReply);
    }
}
