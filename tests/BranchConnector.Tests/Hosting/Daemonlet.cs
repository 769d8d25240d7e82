using System.Text.Json.Nodes;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Hosting.Documents;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Tests.FakeKernel;
using BranchConnector.Tests.Golden;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BranchConnector.Tests.Hosting;

/// <summary>
/// The daemon's apply path wired as AgentServices wires it (state, store, journal, reconciler, coordinator,
/// document applier, drift check) over the fake kernel, a fake clock and a temporary state_dir.
/// </summary>
internal sealed class Daemonlet : IDisposable
{
    public Box Box { get; } = new(foreign: false);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    public string StateDir { get; } = Directory.CreateTempSubdirectory("bc-daemonlet-").FullName;
    public AgentState State { get; }
    public StateCommitter Commit { get; }
    public ApplyCoordinator Coordinator { get; }
    public DocumentApplier<DecodedBatch> Batches { get; }
    public DocumentApplier<DecodedPeering> Peerings { get; }
    public IntentEnvironment Environment { get; }
    public WorkQueue Work { get; }
    public DriftCheck Drift { get; }

    public Daemonlet()
    {
        var keys = new KeyStore(StateDir, Box.Kernel);
        var keyDir = Directory.CreateDirectory(Path.Combine(StateDir, "keys")).FullName;
        foreach (var (name, priv, pub) in new[] { (KeyNames.Backbone, PlanCases.PrivateKey, PlanCases.OurKey), (KeyNames.Peering, Box.PeeringPrivateKey, Box.PeeringPublicKey) })
        {
            File.WriteAllText(Path.Combine(keyDir, name + ".key"), priv + "\n");
            File.WriteAllText(Path.Combine(keyDir, name + ".pub"), pub + "\n");
        }
        State = new AgentState(Clock);
        var store = new StateStore(StateDir, new PersistenceHealth(null, Clock));
        Commit = new StateCommitter(State, store);
        var journal = new OwnershipJournal(StateDir, store.Health);
        var environment = Environment = new IntentEnvironment(keys, new EndpointResolver(), Box.Kernel, manageFirewall: true);
        var observer = new StateObserver(Box.Kernel, FirewallBackend.Nft, Box.Kernel.SysctlView);
        PlannerContext Context() => new(WgImplementation.Kernel, Box.Kernel.UserspaceCommand, journal.Current, keys.ReadPrivateKey, Clock.GetUtcNow(),
            TimeSpan.FromSeconds(180), new FirewallSettings(true, FirewallBackendChoice.Auto), FirewallBackend.Nft);
        var reconciler = new Reconciler(observer, new PlanApplier(Box.Kernel), journal, Context, NullLogger<Reconciler>.Instance);
        var work = Work = new WorkQueue(NullLogger<WorkQueue>.Instance, Clock);
        Coordinator = new ApplyCoordinator(State, reconciler, environment, keys, new EspInUdpSockets(), work, Clock, NullLogger<ApplyCoordinator>.Instance);
        Batches = new DocumentApplier<DecodedBatch>(new BatchDocument(), State, Coordinator, Commit, new ConfirmBuilder("BC-1", Clock), NullLogger.Instance);
        Peerings = new DocumentApplier<DecodedPeering>(new PeeringDocument(), State, Coordinator, Commit, new ConfirmBuilder("BC-1", Clock), NullLogger.Instance);
        Drift = new DriftCheck(State, Coordinator, Commit, NullLogger<DriftCheck>.Instance);
    }

    /// <summary>A batch document of these commands (index = position), hashed as the hub hashes it.</summary>
    public static byte[] Batch(long sequence, params (string Topic, JsonObject Body)[] commands) =>
        Protocol.Docs.Batch(new JsonArray(commands.Select((c, i) => (JsonNode)new JsonObject { ["index"] = i, ["topic"] = c.Topic, ["body"] = c.Body.DeepClone() }).ToArray())
            .ToJsonString(), sequence);

    public void Dispose() => Directory.Delete(StateDir, recursive: true);
}
