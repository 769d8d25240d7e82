using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health.Stun;
using BranchConnector.Agent.Health.Time;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Mqtt;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Status;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The daemon's moving parts: start-up reconcile, the MQTT session and its inbound routing, the drift check,
/// and the periodic reports. Every change to the box is a work item on the one <see cref="WorkQueue"/>.
/// </summary>
public sealed class AgentRuntime(AgentServices services, Secret? password)
{
    private readonly ILogger _log = services.Loggers.CreateLogger("BranchConnector.Agent");
    private IMqttSession? _session;
    private DateTimeOffset _stateSince = services.Clock.GetUtcNow();
    private string? _lastPublishedState;
    private string? _lastTunnelSignature;
    private bool? _ntp;
    private readonly CancellationTokenSource _stopRequested = new();

    public AgentServices Services => services;
    public Reports Reports { get; private set; } = null!;
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
        Reports = new Reports(services, () => _session?.Status.Connected ?? false);
        Drift = new DriftCheck(services, services.Loggers.CreateLogger<DriftCheck>());
        Drift.Repaired += () => _lastPublishedState = null;
        await new StartupReconcile(services, services.Loggers.CreateLogger<StartupReconcile>()).RunAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs until <paramref name="stop"/> or until the agent stops itself (decommission).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _stopRequested.Token);
        var ct = linked.Token;
        var relay = new RelayMonitor(services, Drift, c => PublishTunnelStatusAsync(force: true, c), services.Loggers.CreateLogger<RelayMonitor>());
        var kernelChanges = new KernelChangeTrigger(services.Work, Drift, services.Loggers.CreateLogger<KernelChangeTrigger>());
        var tasks = new List<Task>
        {
            services.Work.RunAsync(ct), DriftLoopAsync(ct), kernelChanges.RunAsync(ct), KeepaliveLoopAsync(ct), TunnelStatusLoopAsync(ct),
            InformLoopAsync(ct), relay.RunAsync(ct),
        };
        var status = StatusProvider = new AgentStatusProvider(this);
        tasks.Add(new StatusServer(status, Path.Combine(services.Settings.RuntimeDir, StatusServer.SocketFileName), _log).RunAsync(ct));
        tasks.Add(new StatusPersister(status, services.Settings.StateDir, services.Clock, () => TimeSpan.FromSeconds(services.State.Monitoring.TunnelStatusIntervalS),
            StatusLine, _log).RunAsync(status.SummaryLine, ct));
        if (services.Settings.Broker.Urls.Count > 0)
        {
            var session = new MqttSession(SessionOptions(), services.Loggers.CreateLogger<MqttSession>());
            _session = session;
            services.Publisher.Attach(session);
            tasks.Add(session.RunAsync(ct));
            tasks.Add(InboundLoopAsync(session, ct));
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
            Clock = services.Clock,
        };
    }

    private async Task OnConnectedAsync(IMqttSession session, CancellationToken ct)
    {
        BrokerSince = services.Clock.GetUtcNow();
        _lastPublishedState = null;
        await PublishStateAsync(force: true, ct).ConfigureAwait(false);
        await session.PublishAsync(services.Topics.Register, ProtocolJson.Serialize(Reports.Register()), 1, true, ct).ConfigureAwait(false);
        await session.PublishAsync(services.Topics.ConfigRequest, ProtocolJson.Serialize(Reports.ConfigRequest()), 1, false, ct).ConfigureAwait(false);
    }

    private async Task InboundLoopAsync(IMqttSession session, CancellationToken ct)
    {
        await foreach (var message in session.Inbound.ReadAllAsync(ct).ConfigureAwait(false))
        {
            var receivedAt = services.Clock.GetUtcNow();
            var topics = services.Topics;
            switch (message)
            {
                case InboundTooLarge big when big.Topic == topics.Batch || big.Topic == topics.Peering:
                    var kind = big.Topic == topics.Batch ? ConfirmPayload.BatchKind : ConfirmPayload.PeeringKind;
                    var confirm = new ConfirmBuilder(services.Settings.Serial, services.Clock).Rejected(kind, null, null, receivedAt,
                        [new ValidationError(ErrorCodes.TooLarge, "", $"message of {big.Size} bytes exceeds the 1 MiB limit")]);
                    services.Work.Enqueue("too_large confirm", c => PublishConfirmAsync(kind, confirm, c));
                    break;
                case InboundPublish p when p.Topic == topics.Batch:
                    services.Work.Enqueue("batch", c => HandleBatchAsync(p.Payload, receivedAt, c));
                    break;
                case InboundPublish p when p.Topic == topics.Peering:
                    services.Work.Enqueue("peering", c => HandlePeeringAsync(p.Payload, receivedAt, c));
                    break;
                case InboundPublish p when p.Topic == topics.Lifecycle:
                    services.Work.Enqueue("lifecycle", c => HandleLifecycleAsync(p.Payload, c));
                    break;
                case InboundPublish p when p.Topic == topics.Time:
                    HandleTimeReply(p.Payload, receivedAt);
                    break;
                default:
                    _log.LogInformation("message on {Topic} ({Bytes} bytes) is not for this agent: dropped", message.Topic,
                        message is InboundPublish ip ? ip.Payload.Length : (message as InboundTooLarge)?.Size);
                    break;
            }
        }
    }

    private async Task HandleBatchAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var processor = new BatchProcessor(services.State, services.Coordinator, services.Store, new ConfirmBuilder(services.Settings.Serial, services.Clock), services.Loggers.CreateLogger<BatchProcessor>());
        var confirm = await processor.HandleAsync(payload, receivedAt, ct).ConfigureAwait(false);
        await PublishConfirmAsync(ConfirmPayload.BatchKind, confirm, ct).ConfigureAwait(false);
        if (confirm.Success && confirm.Changes != ConfirmChanges.None)
            await services.Publisher.PublishAsync(services.Topics.Register, ProtocolJson.Serialize(Reports.Register()), 1, true, ct).ConfigureAwait(false);
        await PublishStateAsync(force: false, ct).ConfigureAwait(false);
        await PublishTunnelStatusAsync(force: true, ct).ConfigureAwait(false);
        await PublishInformAsync(onlyIfChanged: true, ct).ConfigureAwait(false);
    }

    private async Task HandlePeeringAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var processor = new PeeringProcessor(services.State, services.Coordinator, services.Store, new ConfirmBuilder(services.Settings.Serial, services.Clock), services.Loggers.CreateLogger<PeeringProcessor>());
        var confirm = await processor.HandleAsync(payload, receivedAt, ct).ConfigureAwait(false);
        await PublishConfirmAsync(ConfirmPayload.PeeringKind, confirm, ct).ConfigureAwait(false);
        await PublishTunnelStatusAsync(force: true, ct).ConfigureAwait(false);
    }

    private async Task HandleLifecycleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var followUp = await new LifecycleProcessor(services, services.Loggers.CreateLogger<LifecycleProcessor>()).HandleAsync(payload, ct).ConfigureAwait(false);
        switch (followUp)
        {
            case LifecycleFollowUp.PublishState:
                await PublishStateAsync(force: false, ct).ConfigureAwait(false);
                break;
            case LifecycleFollowUp.PublishRegister:
                await services.Publisher.PublishAsync(services.Topics.Register, ProtocolJson.Serialize(Reports.Register()), 1, true, ct).ConfigureAwait(false);
                break;
            case LifecycleFollowUp.Stop:
                // Gone for good: the retained State says decommissioned and offline, and no will replaces it.
                _session?.SkipWillOnShutdown();
                await services.Publisher.PublishAsync(services.Topics.State,
                    ProtocolJson.Serialize(Reports.StatePayload(services.Clock.GetUtcNow(), online: false)), 1, true, ct).ConfigureAwait(false);
                SelfStopExitCode = Cli.ExitCodes.Decommissioned;
                await _stopRequested.CancelAsync().ConfigureAwait(false);
                break;
        }
    }

    private void HandleTimeReply(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt)
    {
        var decoded = TimeReplyDecoder.Decode(payload.Span);
        if (!decoded.IsValid)
        {
            _log.LogWarning("time reply rejected: {Errors}", string.Join("; ", decoded.Errors));
            return;
        }
        var reply = decoded.Reply!;
        var t3 = receivedAt.ToUnixTimeMilliseconds();
        var measured = TimeOffset.Compute(reply.T0, reply.T1, reply.T2, t3);
        var health = TimeHealth.From(measured, _ntp, receivedAt);
        services.State.SetTime(health);
        if (health.Warning is { } w) _log.LogWarning("{Warning}", w);
    }

    private Task PublishConfirmAsync(string kind, ConfirmPayload confirm, CancellationToken ct) =>
        services.Publisher.PublishAsync(kind == ConfirmPayload.BatchKind ? services.Topics.ConfigConfirm : services.Topics.PeeringConfirm,
            ProtocolJson.Serialize(confirm), 1, false, ct);

    private async Task PublishStateAsync(bool force, CancellationToken ct)
    {
        var state = Reports.EffectiveLifecycle().ToWire();
        if (!force && state == _lastPublishedState) return;
        if (state != _lastPublishedState) _stateSince = services.Clock.GetUtcNow();
        _lastPublishedState = state;
        await services.Publisher.PublishAsync(services.Topics.State, ProtocolJson.Serialize(Reports.StatePayload(_stateSince)), 1, true, ct).ConfigureAwait(false);
    }

    private async Task PublishTunnelStatusAsync(bool force, CancellationToken ct)
    {
        var tunnels = await Reports.TunnelsAsync(ct).ConfigureAwait(false);
        // A hub behind a name may have moved: without a live handshake the next apply resolves the name again.
        if (services.State.Config.Backbone?.Hub?.Endpoint is { } hubEndpoint
            && tunnels.Any(t => t.Kind == TunnelStatusPayload.Backbone && t.Status == Health.TunnelHealth.Down))
            services.Resolver.Forget(hubEndpoint);
        var signature = string.Join("|", tunnels.Select(t => $"{t.Interface}:{t.Status}:" + string.Join(",", t.Peers?.Select(p => $"{p.Serial}:{p.Path}:{p.Status}") ?? [])));
        if (!force && signature == _lastTunnelSignature) return;
        _lastTunnelSignature = signature;
        await services.Publisher.PublishAsync(services.Topics.TunnelStatus, ProtocolJson.Serialize(Reports.TunnelStatus(tunnels)), 1, false, ct).ConfigureAwait(false);
        await PublishStateAsync(force: false, ct).ConfigureAwait(false);
    }

    private Task DriftLoopAsync(CancellationToken ct) =>
        Periodic.RunAsync(services.Clock, () => TimeSpan.FromSeconds(services.Settings.DriftCheckIntervalS), c =>
        {
            services.Work.Enqueue("drift check", w => Drift.RunOnceAsync("drift check", w));
            return Task.CompletedTask;
        }, ct);

    private Task KeepaliveLoopAsync(CancellationToken ct) =>
        Periodic.RunAsync(services.Clock, () => TimeSpan.FromSeconds(services.State.Monitoring.KeepaliveIntervalS),
            c => services.Publisher.PublishAsync(services.Topics.Keepalive, ProtocolJson.Serialize(Reports.Keepalive()), 0, false, c), ct);

    /// <summary>Full report every interval; in between, a cheap poll publishes at once when a tunnel's status changes.</summary>
    private async Task TunnelStatusLoopAsync(CancellationToken ct)
    {
        var lastFull = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var interval = TimeSpan.FromSeconds(services.State.Monitoring.TunnelStatusIntervalS);
            var poll = TimeSpan.FromSeconds(Math.Clamp(interval.TotalSeconds / 4, 1, 5));
            await Task.Delay(poll, services.Clock, ct).ConfigureAwait(false);
            var due = services.Clock.GetUtcNow() - lastFull >= interval;
            try
            {
                await PublishTunnelStatusAsync(force: due, ct).ConfigureAwait(false);
                if (due) lastFull = services.Clock.GetUtcNow();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _log.LogWarning("tunnel status: {Message}", ex.Message);
            }
        }
    }

    private async Task InformLoopAsync(CancellationToken ct)
    {
        var stun = new StunClient(software: $"{AgentInfo.ProgramName} {AgentInfo.Version}", timeProvider: services.Clock);
        await InformOnceAsync(stun, ct).ConfigureAwait(false);
        await Periodic.RunAsync(services.Clock, () => TimeSpan.FromSeconds(services.State.Monitoring.InformIntervalS), c => InformOnceAsync(stun, c), ct).ConfigureAwait(false);
    }

    private string? _lastInform;
    private DateTimeOffset _lastInformSent = DateTimeOffset.MinValue;

    /// <summary>Asks the hub for the time, checks STUN, and publishes Inform when it changed or the interval passed.</summary>
    private async Task InformOnceAsync(StunClient stun, CancellationToken ct)
    {
        var monitoring = services.State.Monitoring;
        try
        {
            await services.Publisher.PublishAsync(services.Topics.TimeRequest,
                ProtocolJson.Serialize(new TimeRequestPayload(services.Clock.GetUtcNow().ToUnixTimeMilliseconds())), 0, false, ct).ConfigureAwait(false);
            var ntp = await new NtpStatusReader(services.Runner).ReadAsync(ct).ConfigureAwait(false);
            _ntp = ntp;
            if (services.State.Time is { } t) services.State.SetTime(t with { NtpSynchronized = ntp });
            if (monitoring.StunServers.Count > 0)
                services.State.SetStun(await stun.CheckAsync(monitoring.StunServers, cancellationToken: ct).ConfigureAwait(false));
            await PublishInformAsync(onlyIfChanged: false, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log.LogWarning("inform: {Message}", ex.Message);
        }
    }

    private readonly SemaphoreSlim _informGate = new(1, 1);

    /// <summary>
    /// Publishes Inform when something in it changed (timestamps aside), or unconditionally once the interval
    /// has passed. Called by the periodic loop and right after a document was applied.
    /// </summary>
    private async Task PublishInformAsync(bool onlyIfChanged, CancellationToken ct)
    {
        await _informGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var inform = await Reports.InformAsync(ct).ConfigureAwait(false);
            var text = Convert.ToBase64String(ProtocolJson.Serialize(inform with { SentAt = default, UptimeS = 0 }));
            var due = !onlyIfChanged
                && services.Clock.GetUtcNow() - _lastInformSent >= TimeSpan.FromSeconds(services.State.Monitoring.InformIntervalS) - TimeSpan.FromMilliseconds(300);
            if (text == _lastInform && !due) return;
            await services.Publisher.PublishAsync(services.Topics.Inform, ProtocolJson.Serialize(inform), 1, false, ct).ConfigureAwait(false);
            _lastInform = text;
            _lastInformSent = services.Clock.GetUtcNow();
        }
        finally
        {
            _informGate.Release();
        }
    }
}
