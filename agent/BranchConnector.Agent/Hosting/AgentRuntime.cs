using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Hosting.Inbound;
using BranchConnector.Agent.Hosting.Northbound;
using BranchConnector.Agent.Mqtt;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Status;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Wiring only: the start-up reconcile, the MQTT session with its inbound routes, the drift check, the
/// relay monitor, the periodic reports and the status socket. Every change to the box is a work item on the
/// one <see cref="WorkQueue"/>; what each part does lives in its own type.
/// </summary>
public sealed class AgentRuntime(AgentServices services, Secret? password)
{
    private readonly ILogger _log = services.Loggers.CreateLogger("BranchConnector.Agent");
    private readonly CancellationTokenSource _stopRequested = new();
    private IMqttSession? _session;

    public AgentServices Services => services;
    public ReportSet ReportSet { get; private set; } = null!;
    public Reports Reports => ReportSet.Payloads;
    public DriftCheck Drift { get; private set; } = null!;
    public MqttSessionStatus BrokerStatus => _session?.Status ?? MqttSessionStatus.Initial;
    public DateTimeOffset? BrokerSince { get; private set; }

    /// <summary>Receives the one-line summary whenever it changes (the daemon passes it to systemd as STATUS=).</summary>
    public Action<string>? StatusLine { get; init; }
    public AgentStatusProvider? StatusProvider { get; private set; }

    /// <summary>Set when the agent decided to stop by itself (decommission); the exit code to return.</summary>
    public int? SelfStopExitCode { get; private set; }

    /// <summary>Reconciles from the persisted state (no broker needed). Returns once the data plane is configured.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        ReportSet = ReportSet.Create(services, () => _session?.Status.Connected ?? false);
        services.Ha.Publish = (state, c) => services.Publisher.PublishAsync(services.Topics.HaState, ProtocolJson.Serialize(state), 1, true, c);
        Drift = new DriftCheck(services.State, services.Coordinator, services.Commit, services.Loggers.CreateLogger<DriftCheck>());
        Drift.Repaired += ReportSet.State.Forget;
        await new StartupReconcile(services.Store, services.Coordinator, services.Commit, services.Sequences, services.Loggers.CreateLogger<StartupReconcile>())
            .RunAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs until <paramref name="stop"/> or until the agent stops itself (decommission).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _stopRequested.Token);
        var ct = linked.Token;
        var s = services;
        var reports = ReportSet;
        var relay = new RelayMonitor(s.State, s.Environment, s.Runner, s.Work, Drift, c => reports.Tunnels.PublishAsync(force: true, c), s.Clock,
            s.Loggers.CreateLogger<RelayMonitor>());
        var kernelChanges = new KernelChangeTrigger(s.Work, Drift, s.Loggers.CreateLogger<KernelChangeTrigger>());
        var tasks = new List<Task>
        {
            s.Work.RunAsync(ct), DriftLoopAsync(ct), kernelChanges.RunAsync(ct), reports.Keepalive.RunAsync(ct), reports.Tunnels.RunAsync(ct),
            reports.Inform.RunAsync(ct), relay.RunAsync(ct), s.SequenceRecorder.RunAsync(ct), s.Ha.RunAsync(() => s.State.Config, ct),
        };
        var status = StatusProvider = new AgentStatusProvider(s.State,
            new StatusBox(s.Settings.Serial, s.WireGuard.Name, s.FirewallBackendName, s.Environment.ManageFirewall ? s.Firewall?.Backend : null),
            s.Runner, s.Work, Drift, reports.Payloads, () => BrokerStatus, () => BrokerSince, () => s.Ha.Current);
        tasks.Add(new StatusServer(status, Path.Combine(s.Settings.RuntimeDir, StatusServer.SocketFileName), _log).RunAsync(ct));
        tasks.Add(new StatusPersister(status, s.Settings.StateDir, s.Clock, () => TimeSpan.FromSeconds(s.State.Monitoring.TunnelStatusIntervalS),
            StatusLine, _log, s.Store.Health).RunAsync(status.SummaryLine, ct));
        if (s.Settings.Metrics is { } metrics)
        {
            s.Metrics.Attach(() => Metrics.MetricsFeed.From(this));
            tasks.Add(new Metrics.MetricsServer(s.Metrics, metrics, _log).RunAsync(ct));
        }
        if (s.Settings.Broker.Urls.Count > 0)
        {
            var session = new MqttSession(SessionOptions(), s.Loggers.CreateLogger<MqttSession>());
            _session = session;
            s.Publisher.Attach(session);
            tasks.Add(session.RunAsync(ct));
            tasks.Add(AgentRoutes.Create(s, ReportSet, StopDecommissionedAsync, _log).RunAsync(session.Inbound, ct));
            // A link newly refused for want of a sequence record asks the hub for new keys at once, not at the next connect.
            s.Sequences.RekeyNeedsChanged += () => s.Work.Enqueue("config request (rekey)", c =>
                s.Publisher.PublishAsync(s.Topics.ConfigRequest, ProtocolJson.Serialize(Reports.ConfigRequest()), 1, false, c));
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (_session is not null) await _session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private MqttSessionOptions SessionOptions()
    {
        var b = services.Settings.Broker;
        return new MqttSessionOptions
        {
            Serial = services.Settings.Serial,
            Urls = b.Urls,
            Username = b.Username,
            Password = password?.Value,
            CaFile = b.CaFile,
            CertFile = b.CertFile,
            KeyFile = b.KeyFile,
            KeepaliveSeconds = b.KeepaliveS,
            SubscribeTopicFilter = services.Topics.SubscribeFilter,
            WillTopic = services.Topics.State,
            WillPayload = ProtocolJson.Serialize(new LastWillPayload(services.Settings.Serial)),
            OnConnected = OnConnectedAsync,
            // The control plane never enters a full tunnel (spec: protocol.md, wireguard).
            SocketMark = Linux.Routes.FullTunnel.DefaultFwmark,
            Clock = services.Clock,
        };
    }

    private async Task OnConnectedAsync(IMqttSession session, CancellationToken ct)
    {
        BrokerSince = services.Clock.GetUtcNow();
        ReportSet.State.Forget();
        await ReportSet.State.PublishAsync(force: true, ct).ConfigureAwait(false);
        await session.PublishAsync(services.Topics.Register, ProtocolJson.Serialize(Reports.Register()), 1, true, ct).ConfigureAwait(false);
        await session.PublishAsync(services.Topics.ConfigRequest, ProtocolJson.Serialize(Reports.ConfigRequest()), 1, false, ct).ConfigureAwait(false);
        await services.Ha.RepublishAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Gone for good: the retained State says decommissioned and offline, and no will replaces it.</summary>
    private async Task StopDecommissionedAsync(CancellationToken ct)
    {
        _session?.SkipWillOnShutdown();
        await ReportSet.State.PublishGoneAsync(ct).ConfigureAwait(false);
        SelfStopExitCode = Cli.ExitCodes.Decommissioned;
        await _stopRequested.CancelAsync().ConfigureAwait(false);
    }

    private Task DriftLoopAsync(CancellationToken ct) =>
        Periodic.RunAsync(services.Clock, () => TimeSpan.FromSeconds(services.Settings.DriftCheckIntervalS), c =>
        {
            services.Work.Enqueue("drift check", w => Drift.RunOnceAsync("drift check", w));
            return Task.CompletedTask;
        }, ct);
}
