using System.Diagnostics;
using System.Threading.Channels;
using BranchConnector.Agent.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// The broker session: one dedicated thread owns the libmosquitto client, connects (URLs in order), runs the
/// network loop, reconnects with jittered back-off and backs off long when another client holds this identity.
/// Callbacks arrive on that thread; inbound messages leave it through a channel; publishes from any thread are
/// queued by libmosquitto and written by the loop.
/// </summary>
public sealed partial class MqttSession : IMqttSession, IMosquittoEvents
{
    private static readonly TimeSpan LoopTick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(2);

    private readonly MqttSessionOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<BrokerEndpoint> _endpoints;
    private readonly Channel<InboundMessage> _inbound =
        Channel.CreateUnbounded<InboundMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();

    private MqttSessionStatus _status = MqttSessionStatus.Initial;
    private volatile MosquittoClient? _client;
    private volatile bool _connected;
    private Task? _run;
    private int _started;

    // Loop-thread state for the connection in progress.
    private BrokerEndpoint? _endpoint;
    private bool _connackReceived;
    private bool _connackOk;
    private bool _refused;
    private bool _lost;
    private int _disconnectCode;
    private string? _lastTlsError;
    private long _connectedAtTicks;
    private CancellationTokenSource? _connectionScope;
    private int _consecutiveKicks;
    /// <summary>A connect attempt failed since the last connection: the broker itself was down.</summary>
    private bool _brokerWasDown;
    private MarkedConnectProxy? _proxy;

    public MqttSession(MqttSessionOptions options, ILogger<MqttSession> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Urls.Count == 0) throw new ArgumentException("at least one broker URL is required", nameof(options));
        _options = options;
        _logger = logger;
        _endpoints = options.Urls.Select(BrokerEndpoint.Parse).ToArray();
    }

    public ChannelReader<InboundMessage> Inbound => _inbound.Reader;

    public MqttSessionStatus Status => Volatile.Read(ref _status);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("the MQTT session is already running");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _stop);
        var thread = new Thread(() =>
        {
            try
            {
                RunLoop();
                done.SetResult();
            }
            catch (Exception ex)
            {
                LogLoopCrashed(ex);
                done.SetException(ex);
            }
            finally
            {
                registration.Dispose();
            }
        })
        {
            IsBackground = true,
            Name = "mqtt-loop",
        };
        thread.Start();
        _run = done.Task;
        return _run;
    }

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = _client;
        if (!_connected || client is null) throw new MqttNotConnectedException();
        int rc;
        try
        {
            rc = client.Publish(topic, payload.Span, qos, retain, out _);
        }
        catch (ObjectDisposedException ex)
        {
            throw new MqttNotConnectedException("the MQTT connection was closed during the publish", ex);
        }
        if (rc == MosquittoConstants.ErrNoConn) throw new MqttNotConnectedException();
        if (rc != MosquittoConstants.ErrSuccess) throw new MqttPublishException($"publish to {topic} failed: {MosquittoLibrary.ErrorText(rc)}");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogLoopCrashed(ex);
            }
        }
        else
        {
            _inbound.Writer.TryComplete();
        }
        if (_proxy is not null) await _proxy.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void RunLoop()
    {
        var attempt = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var outcome = ConnectionOutcome.NeverConnected;
                foreach (var endpoint in _endpoints)
                {
                    if (_stop.IsCancellationRequested) break;
                    outcome = RunConnection(endpoint);
                    if (outcome.WasConnected) break;
                }
                if (_stop.IsCancellationRequested) break;

                var delay = NextDelay(outcome, ref attempt);
                LogReconnectIn((int)delay.TotalMilliseconds);
                _stop.Token.WaitHandle.WaitOne(delay);
            }
        }
        finally
        {
            Shutdown();
        }
    }

    private TimeSpan NextDelay(ConnectionOutcome outcome, ref int attempt)
    {
        if (!outcome.WasConnected) _brokerWasDown = true;
        if (outcome.WasConnected)
        {
            // A short connection is a kick (another client with our identity, on a broker that does not say so)
            // only when the broker took us back at the first try. A connection that followed an outage (a
            // connect attempt failed before it) and was lost soon is a flapping broker: no kick, and the
            // back-off starts again from its minimum, so the agent is back as soon as the broker is.
            var afterOutage = _brokerWasDown;
            _brokerWasDown = false;
            var kicked = outcome.Duration < _options.StableConnectionAfter && !afterOutage;
            _consecutiveKicks = kicked ? _consecutiveKicks + 1 : 0;
            if (outcome.TakenOver || _consecutiveKicks >= _options.KicksBeforeConflict) SetIdentityConflict(true);
            if (!kicked) attempt = 0;
        }
        if (Status.IdentityConflict) return ReconnectBackoff.ConflictDelay(_options.ConflictBackoff, Random.Shared.NextDouble());
        return ReconnectBackoff.Delay(attempt++, _options.BackoffMin, _options.BackoffMax, Random.Shared.NextDouble());
    }

    private ConnectionOutcome RunConnection(BrokerEndpoint endpoint)
    {
        var client = EnsureClient(endpoint);
        if (client is null) return ConnectionOutcome.NeverConnected;

        _endpoint = endpoint;
        _connackReceived = _connackOk = _refused = _lost = false;
        _disconnectCode = 0;
        _lastTlsError = null;

        LogConnecting(endpoint.Url);
        var rc = client.Connect(endpoint.Host, endpoint.Port, _options.KeepaliveSeconds, _options.SessionExpirySeconds);
        if (rc != MosquittoConstants.ErrSuccess)
        {
            RecordFailure(endpoint, MqttErrorText.ForError(rc, MosquittoClient.LastErrno, _lastTlsError));
            return ConnectionOutcome.NeverConnected;
        }

        var started = Stopwatch.GetTimestamp();
        var errno = 0;
        string? timeoutError = null;
        while (true)
        {
            if (_stop.IsCancellationRequested)
            {
                if (_connackOk) DisconnectGracefully(client);
                break;
            }
            rc = client.Loop(LoopTick);
            if (rc != MosquittoConstants.ErrSuccess)
            {
                errno = MosquittoClient.LastErrno;
                break;
            }
            if (_lost || _refused) break;
            if (!_connackReceived && Stopwatch.GetElapsedTime(started) > _options.ConnackTimeout)
            {
                timeoutError = $"no CONNACK within {(int)_options.ConnackTimeout.TotalSeconds} s";
                break;
            }
            ClearConflictWhenStable();
        }

        var duration = _connackOk ? Stopwatch.GetElapsedTime(_connectedAtTicks) : TimeSpan.Zero;
        var takenOver = _disconnectCode == MosquittoConstants.ReasonSessionTakenOver;
        if (_stop.IsCancellationRequested)
        {
            MarkDisconnected(null);
        }
        else if (_connackOk)
        {
            var why = _lost ? MqttErrorText.ForDisconnect(_disconnectCode, errno, _lastTlsError) : MqttErrorText.ForError(rc, errno, _lastTlsError);
            LogConnectionLost(endpoint.Url, why, (int)duration.TotalMilliseconds);
            MarkDisconnected(why);
        }
        else if (!_refused)
        {
            var why = timeoutError
                ?? (_lost && _disconnectCode >= 0x80 ? MqttErrorText.ForDisconnect(_disconnectCode, errno, _lastTlsError)
                    : MqttErrorText.ForError(rc != MosquittoConstants.ErrSuccess ? rc : _disconnectCode, errno, _lastTlsError));
            RecordFailure(endpoint, why);
        }
        return new ConnectionOutcome(_connackOk, duration, takenOver);
    }

    private MosquittoClient? EnsureClient(BrokerEndpoint endpoint)
    {
        // One libmosquitto object keeps its in-flight queue across reconnects; only a change between plain
        // and TLS needs a new one (TLS cannot be switched off on an existing object).
        if (_client is { } existing && existing.UsesTls == endpoint.Tls) return existing;
        DisposeClient();

        var client = new MosquittoClient(_options.Serial, this);
        var rc = MosquittoConstants.ErrSuccess;
        if (_options.Username is not null || _options.Password is not null)
            rc = client.SetCredentials(_options.Username, _options.Password);
        if (rc == MosquittoConstants.ErrSuccess && endpoint.Tls)
        {
            rc = client.SetTls(_options.CaFile, _options.CertFile, _options.KeyFile);
            if (rc != MosquittoConstants.ErrSuccess)
            {
                client.Dispose();
                RecordFailure(endpoint, $"TLS settings rejected ({MosquittoLibrary.ErrorText(rc)}): check ca_file, cert_file and key_file are readable PEM files");
                return null;
            }
        }
        if (rc == MosquittoConstants.ErrSuccess && _options.SocketMark is { } mark)
        {
            _proxy ??= new MarkedConnectProxy(mark, _options.ConnackTimeout);
            rc = client.SetSocks5(_proxy.Host, _proxy.Port, _proxy.Username, _proxy.Password);
        }
        if (rc == MosquittoConstants.ErrSuccess)
            rc = client.SetWill(_options.WillTopic, _options.WillPayload.Span, qos: 1, retain: true);
        if (rc != MosquittoConstants.ErrSuccess)
        {
            client.Dispose();
            RecordFailure(endpoint, $"client setup failed: {MosquittoLibrary.ErrorText(rc)}");
            return null;
        }
        _client = client;
        return client;
    }

    private volatile bool _skipWill;

    public void SkipWillOnShutdown() => _skipWill = true;

    private void DisconnectGracefully(MosquittoClient client)
    {
        var reason = _options.PublishWillOnShutdown && !_skipWill ? MosquittoConstants.ReasonDisconnectWithWill : 0;
        if (client.Disconnect(reason) != MosquittoConstants.ErrSuccess) return;
        var started = Stopwatch.GetTimestamp();
        while (!_lost && Stopwatch.GetElapsedTime(started) < ShutdownFlush)
        {
            if (client.Loop(LoopTick) != MosquittoConstants.ErrSuccess) break;
        }
    }

    private void ClearConflictWhenStable()
    {
        if (!_connackOk || !Status.IdentityConflict) return;
        // Outlast the other client's long back-off twice before believing it has gone.
        var needed = _options.ConflictBackoff * 2 > _options.StableConnectionAfter ? _options.ConflictBackoff * 2 : _options.StableConnectionAfter;
        if (Stopwatch.GetElapsedTime(_connectedAtTicks) < needed) return;
        _consecutiveKicks = 0;
        SetIdentityConflict(false);
    }

    private void SetIdentityConflict(bool conflict)
    {
        var status = Status;
        if (status.IdentityConflict == conflict) return;
        if (conflict) LogIdentityConflict(_options.Serial);
        else LogIdentityConflictCleared();
        Publish(status with
        {
            IdentityConflict = conflict,
            LastError = conflict ? MqttSessionStatus.IdentityConflictText : status.LastError == MqttSessionStatus.IdentityConflictText ? null : status.LastError,
        });
    }

    private void RecordFailure(BrokerEndpoint endpoint, string error)
    {
        LogConnectFailed(endpoint.Url, error);
        Publish(Status with { Connected = false, CurrentUrl = endpoint.Url, LastError = Status.IdentityConflict ? MqttSessionStatus.IdentityConflictText : error });
    }

    private void MarkDisconnected(string? error)
    {
        _connected = false;
        _connectionScope?.Cancel();
        _connectionScope?.Dispose();
        _connectionScope = null;
        var status = Status;
        if (!status.Connected) return;
        Publish(status with
        {
            Connected = false,
            Since = _options.Clock.GetUtcNow(),
            LastError = status.IdentityConflict ? MqttSessionStatus.IdentityConflictText : error ?? status.LastError,
        });
    }

    private void Shutdown()
    {
        MarkDisconnected(null);
        DisposeClient();
        _inbound.Writer.TryComplete();
    }

    private void DisposeClient()
    {
        var client = _client;
        _client = null;
        client?.Dispose();
    }

    private void Publish(MqttSessionStatus status) => Volatile.Write(ref _status, status);

    // ---- libmosquitto callbacks (loop thread) ----

    void IMosquittoEvents.OnConnect(int reasonCode)
    {
        _connackReceived = true;
        var endpoint = _endpoint!;
        if (reasonCode != 0)
        {
            _refused = true;
            RecordFailure(endpoint, MqttErrorText.ForConnack(reasonCode));
            return;
        }
        _connackOk = true;
        _connectedAtTicks = Stopwatch.GetTimestamp();
        var client = _client!;
        var rc = client.Subscribe(_options.SubscribeTopicFilter, qos: 1, MosquittoConstants.SubOptSendRetainNew, out _);
        if (rc != MosquittoConstants.ErrSuccess) LogSubscribeFailed(_options.SubscribeTopicFilter, MosquittoLibrary.ErrorText(rc));

        var status = Status;
        Publish(status with
        {
            Connected = true,
            CurrentUrl = endpoint.Url,
            Since = _options.Clock.GetUtcNow(),
            LastError = status.IdentityConflict ? MqttSessionStatus.IdentityConflictText : null,
            ConnectCount = status.ConnectCount + 1,
        });
        _connected = true;
        LogConnected(endpoint.Url);

        _connectionScope = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        if (_options.OnConnected is { } onConnected) _ = RunOnConnectedAsync(onConnected, _connectionScope.Token);
    }

    private async Task RunOnConnectedAsync(Func<IMqttSession, CancellationToken, Task> onConnected, CancellationToken token)
    {
        await Task.Yield();
        try
        {
            await onConnected(this, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttNotConnectedException && token.IsCancellationRequested)
        {
            // The connection ended while the callback ran; the next connect runs it again.
        }
        catch (Exception ex)
        {
            LogOnConnectedFailed(ex);
        }
    }

    void IMosquittoEvents.OnDisconnect(int reasonCode)
    {
        _lost = true;
        _disconnectCode = reasonCode;
        _connected = false;
    }

    void IMosquittoEvents.OnMessage(string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        if (payload.Length > _options.MaxInboundPayloadBytes)
        {
            LogTooLarge(topic, payload.Length, _options.MaxInboundPayloadBytes);
            Publish(Status with { TooLargeDropped = Status.TooLargeDropped + 1 });
            _inbound.Writer.TryWrite(new InboundTooLarge(topic, payload.Length, qos, retain));
            return;
        }
        _inbound.Writer.TryWrite(new InboundPublish(topic, payload.ToArray(), qos, retain));
    }

    void IMosquittoEvents.OnSubscribe(int mid, IReadOnlyList<int> grantedQos)
    {
        foreach (var granted in grantedQos)
        {
            if (granted >= 0x80) LogSubscribeFailed(_options.SubscribeTopicFilter, MosquittoLibrary.ReasonText(granted));
        }
    }

    void IMosquittoEvents.OnPublish(int mid, int reasonCode)
    {
        if (reasonCode >= 0x80) LogPublishRefused(mid, MosquittoLibrary.ReasonText(reasonCode));
    }

    void IMosquittoEvents.OnLog(int level, string message)
    {
        if (MqttErrorText.OpenSslReason(message) is { } tls) _lastTlsError = tls;
        if ((level & (MosquittoConstants.LogErr | MosquittoConstants.LogWarning)) != 0) LogLibraryWarning(message);
        else LogLibrary(message);
    }

    private readonly record struct ConnectionOutcome(bool WasConnected, TimeSpan Duration, bool TakenOver)
    {
        public static ConnectionOutcome NeverConnected => new(false, TimeSpan.Zero, false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connecting to {Url}")]
    private partial void LogConnecting(Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connected to {Url}")]
    private partial void LogConnected(Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connect to {Url} failed: {Error}")]
    private partial void LogConnectFailed(Uri url, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Url} lost after {Ms} ms: {Error}")]
    private partial void LogConnectionLost(Uri url, string error, int ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT reconnecting in {Ms} ms")]
    private partial void LogReconnectIn(int ms);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT: another device is using this connector's identity (client id {Serial}); backing off")]
    private partial void LogIdentityConflict(string serial);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: identity conflict over, connection stable again")]
    private partial void LogIdentityConflictCleared();

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT subscribe to {Filter} failed: {Error}")]
    private partial void LogSubscribeFailed(string filter, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker refused publish mid {Mid}: {Reason}")]
    private partial void LogPublishRefused(int mid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT message on {Topic} dropped unread: {Size} bytes is over the {Limit}-byte limit")]
    private partial void LogTooLarge(string topic, int size, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT on-connected callback failed")]
    private partial void LogOnConnectedFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Critical, Message = "MQTT loop thread failed")]
    private partial void LogLoopCrashed(Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "libmosquitto: {Message}")]
    private partial void LogLibraryWarning(string message);

    [LoggerMessage(Level = LogLevel.Trace, Message = "libmosquitto: {Message}")]
    private partial void LogLibrary(string message);
}
