using BranchConnector.Agent.Config;
using BranchConnector.Agent.Hosting.Northbound;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Metrics;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>The composition root: every long-lived piece of the agent, built once from the settings.</summary>
public sealed class AgentServices
{
    public AgentSettings Settings { get; }
    public ILoggerFactory Loggers { get; }
    public ICommandRunner Runner { get; }
    /// <summary>The one clock of the daemon: tests pass a fake one.</summary>
    public TimeProvider Clock { get; }
    public AgentTopics Topics { get; }
    public AgentState State { get; }
    public StateStore Store { get; }
    public StateCommitter Commit { get; }
    public KeyStore Keys { get; }
    public OwnershipJournal Journal { get; }
    public SequenceRecordStore Sequences { get; }
    public SequenceRecorder SequenceRecorder { get; }
    public EndpointResolver Resolver { get; } = new();
    public WgImplementationChoice WireGuard { get; }
    public EspProbeResult Esp { get; }
    public EspInUdpSockets EspSockets { get; } = new();
    public FirewallBackendDetection? Firewall { get; }
    public IntentEnvironment Environment { get; }
    public Reconciler Reconciler { get; }
    public ApplyCoordinator Coordinator { get; }
    public Publisher Publisher { get; }
    public WorkQueue Work { get; }
    public AgentMetrics Metrics { get; }
    /// <summary>The redundant pair (keepalived) of the `ha` topic.</summary>
    public Ha.HaService Ha { get; }

    private AgentServices(AgentSettings settings, ILoggerFactory loggers, ICommandRunner runner, TimeProvider clock, WgImplementationChoice wg, FirewallBackendDetection? firewall, EspProbeResult esp)
    {
        Esp = esp;
        Settings = settings;
        Loggers = loggers;
        Runner = runner;
        Clock = clock;
        State = new AgentState(clock);
        Topics = AgentTopics.From(settings);
        Store = new StateStore(settings.StateDir, new PersistenceHealth(loggers.CreateLogger<PersistenceHealth>(), clock));
        Commit = new StateCommitter(State, Store);
        Keys = new KeyStore(settings.StateDir, runner);
        Journal = new OwnershipJournal(settings.StateDir, Store.Health);
        Sequences = new SequenceRecordStore(settings.StateDir);
        SequenceRecorder = new SequenceRecorder(runner, Sequences, () => State.Peering, loggers.CreateLogger<SequenceRecorder>());
        WireGuard = wg;
        Firewall = firewall;
        Environment = new IntentEnvironment(Keys, Resolver, runner, settings.Firewall.Manage && firewall?.Backend is not null);
        var observer = new StateObserver(runner, Environment.ManageFirewall ? firewall!.Backend : null);
        Reconciler = new Reconciler(observer, new PlanApplier(runner), Journal, PlannerContext, loggers.CreateLogger<Reconciler>(), Sequences);
        Publisher = new Publisher(clock, loggers.CreateLogger<Publisher>(),
            new HashSet<string>(StringComparer.Ordinal) { Topics.ConfigConfirm, Topics.PeeringConfirm, Topics.Register, Topics.State });
        Work = new WorkQueue(loggers.CreateLogger<WorkQueue>(), clock);
        Ha = new Ha.HaService(BranchConnector.Agent.Ha.HaPaths.From(settings.RuntimeDir, settings.StateDir), settings.Serial, runner, "keepalived", clock, loggers.CreateLogger<Ha.HaService>());
        Coordinator = new ApplyCoordinator(State, Reconciler, Environment, Keys, EspSockets, Work, clock, loggers.CreateLogger<ApplyCoordinator>(), Ha);
        Metrics = new AgentMetrics(clock);
        Coordinator.Applied += Metrics.ObserveApply;
    }

    /// <summary>Probes the box (WireGuard implementation, firewall backend) and loads the persisted state.</summary>
    public static async Task<AgentServices> CreateAsync(AgentSettings settings, ILoggerFactory loggers, ICommandRunner runner, TimeProvider clock, CancellationToken ct)
    {
        var wg = await WgImplementationProbe.ProbeAsync(runner, settings.WireGuard, ct).ConfigureAwait(false);
        var firewall = settings.Firewall.Manage
            ? await FirewallBackendDetector.DetectAsync(runner, settings.Firewall.Backend, ct).ConfigureAwait(false)
            : null;
        var esp = await EspSupport.ProbeAsync(runner, ct).ConfigureAwait(false);
        var services = new AgentServices(settings, loggers, runner, clock, wg, firewall, esp);
        services.State.Load(await services.Store.LoadAsync(ct).ConfigureAwait(false));
        if (await services.Journal.LoadAsync(ct).ConfigureAwait(false) is { } problem)
            loggers.CreateLogger<AgentServices>().LogError("{Problem}", problem);
        if (await services.Sequences.LoadAsync(ct).ConfigureAwait(false) is { } seqProblem)
            loggers.CreateLogger<AgentServices>().LogError("{Problem}", seqProblem);
        return services;
    }

    public string FirewallBackendName => !Settings.Firewall.Manage ? FirewallBackend.NoneName : Firewall?.Name ?? FirewallBackend.NoneName;

    private PlannerContext PlannerContext() => new(
        WireGuard.Implementation,
        Settings.WireGuard.UserspaceCommand,
        Journal.Current,
        Keys.ReadPrivateKey,
        Clock.GetUtcNow(),
        TimeSpan.FromSeconds(State.Monitoring.HandshakeTimeoutS),
        Settings.Firewall,
        Environment.ManageFirewall ? Firewall!.Backend : null)
    {
        RetiringSas = State.RetiringSas,
        EspAvailable = Esp.Availability != EspAvailability.Missing,
        Sequences = Sequences.Snapshot(),
    };
}
