using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// The broker session over MQTTnet (MQTT 5). One loop connects (URLs in order), keeps the connection until it
/// is lost or the session is stopped, and reconnects with full-jitter back-off, backing off long when another
/// client holds this identity. Each connection gets a fresh MQTTnet client, so no event of a dead connection
/// reaches the next one. Inbound messages leave through a channel; QoS 1 publishes go through the
/// <see cref="MqttOutbox"/>, which re-sends after a reconnect whatever the broker had not acknowledged.
/// </summary>
public sealed partial class MqttSession : IMqttSession
{
    private static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(2);

    private readonly MqttSessionOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<BrokerEndpoint> _endpoints;
    private readonly MqttClientFactory _factory = new();
    private readonly MqttOutbox _outbox;
    private readonly Channel<InboundMessage> _inbound =
        Channel.CreateUnbounded<InboundMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();

    private MqttSessionStatus _status = MqttSessionStatus.Initial;
    private volatile IMqttClient? _client;
    private Task? _run;
    private int _started;
    private volatile bool _skipWill;

    private long _connectedAtTicks;
    private int _consecutiveKicks;
    /// <summary>A connect attempt failed since the last connection: the broker itself was down.</summary>
    private bool _brokerWasDown;

    public MqttSession(MqttSessionOptions options, ILogger<MqttSession> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Urls.Count == 0) throw new ArgumentException("at least one broker URL is required", nameof(options));
        _options = options;
        _logger = logger;
        _endpoints = options.Urls.Select(BrokerEndpoint.Parse).ToArray();
        _outbox = new MqttOutbox(options.OutboxCapacity);
    }

    public ChannelReader<InboundMessage> Inbound => _inbound.Reader;

    public MqttSessionStatus Status => Volatile.Read(ref _status);

    /// <summary>QoS 1 messages not yet acknowledged by the broker (tests, status).</summary>
    public int Unacknowledged => _outbox.Count;

    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("the MQTT session is already running");
        var registration = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _stop);
        _run = Task.Run(async () =>
        {
            try
            {
                await RunLoopAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogLoopCrashed(ex);
                throw;
            }
            finally
            {
                await registration.DisposeAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None);
        return _run;
    }

    public async ValueTask<MqttPublishOutcome> PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (qos is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(qos), qos, "the agent publishes at QoS 0 or 1");
        if (qos == 0) return await PublishAtMostOnceAsync(topic, payload, retain, cancellationToken).ConfigureAwait(false);

        var added = _outbox.Add(topic, payload.ToArray(), retain);
        if (added.Dropped is { } dropped) LogOutboxFull(dropped.Topic, _options.OutboxCapacity);
        if (!added.SendNow || _client is not { } client) return MqttPublishOutcome.Queued;
        return await SendAsync(client, added.Message, added.Connection, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<MqttPublishOutcome> PublishAtMostOnceAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken ct)
    {
        if (!Status.Connected || _client is not { } client) throw new MqttNotConnectedException();
        try
        {
            await client.PublishAsync(Message(topic, payload, MqttQualityOfServiceLevel.AtMostOnce, retain), ct).ConfigureAwait(false);
            return MqttPublishOutcome.Sent;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or ObjectDisposedException)
        {
            throw new MqttNotConnectedException("the MQTT connection was closed during the publish", ex);
        }
    }

    /// <summary>
    /// Sends one outbox message and waits for its PUBACK. A lost connection leaves it in the outbox (Queued); a
    /// refusal by the broker takes it out and throws <see cref="MqttPublishException"/>.
    /// </summary>
    private async ValueTask<MqttPublishOutcome> SendAsync(IMqttClient client, OutboxMessage message, long connection, CancellationToken ct)
    {
        MqttClientPublishResult result;
        try
        {
            result = await client.PublishAsync(Message(message.Topic, message.Payload, MqttQualityOfServiceLevel.AtLeastOnce, message.Retain), ct)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or ObjectDisposedException)
        {
            _outbox.Unanswered(message, connection);
            return MqttPublishOutcome.Queued;
        }
        catch (OperationCanceledException)
        {
            _outbox.Unanswered(message, connection);
            throw;
        }
        _outbox.Answered(message);
        if (result.IsSuccess) return MqttPublishOutcome.Acknowledged;
        var why = MqttErrorText.ForReason(result.ReasonCode.ToString(), (int)result.ReasonCode);
        LogPublishRefused(message.Topic, why);
        throw new MqttPublishException($"the broker refused the publish to {message.Topic}: {why}");
    }

    private static MqttApplicationMessage Message(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = qos,
        Retain = retain,
    };

    public void SkipWillOnShutdown() => _skipWill = true;

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
        _stop.Dispose();
    }

    private async Task RunLoopAsync()
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
                    outcome = await RunConnectionAsync(endpoint).ConfigureAwait(false);
                    if (outcome.WasConnected) break;
                }
                if (_stop.IsCancellationRequested) break;

                var delay = NextDelay(outcome, ref attempt);
                LogReconnectIn((int)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            MarkDisconnected(null);
            _inbound.Writer.TryComplete();
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

    private async Task<ConnectionOutcome> RunConnectionAsync(BrokerEndpoint endpoint)
    {
        string? tlsRejection = null;
        MqttClientOptions clientOptions;
        try
        {
            clientOptions = MqttConnectSettings.Create(_options, endpoint, why => tlsRejection = why);
        }
        catch (MqttTlsSetupException ex)
        {
            RecordFailure(endpoint, ex.Message);
            return ConnectionOutcome.NeverConnected;
        }

        using var client = _factory.CreateMqttClient();
        var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            lost.TrySetResult(e);
            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += OnMessageAsync;

        LogConnecting(endpoint.Url);
        var connected = await ConnectAsync(client, clientOptions, endpoint, () => tlsRejection).ConfigureAwait(false);
        if (!connected) return ConnectionOutcome.NeverConnected;

        _connectedAtTicks = Stopwatch.GetTimestamp();
        var connection = _outbox.BeginConnection();
        _client = client;
        await SubscribeAsync(client).ConfigureAwait(false);

        using var connectionScope = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var afterConnect = AfterConnectAsync(client, endpoint, connection, connectionScope.Token);

        while (true)
        {
            var conflictCheck = Task.Delay(ConflictClearWait(), _stop.Token);
            var first = await Task.WhenAny(lost.Task, conflictCheck).ConfigureAwait(false);
            if (first == lost.Task) break;
            if (_stop.IsCancellationRequested)
            {
                await DisconnectGracefullyAsync(client).ConfigureAwait(false);
                break;
            }
            ClearConflictWhenStable();
        }

        _outbox.EndConnection();
        _client = null;
        await connectionScope.CancelAsync().ConfigureAwait(false);
        await afterConnect.ConfigureAwait(false);

        var duration = Stopwatch.GetElapsedTime(_connectedAtTicks);
        var ended = lost.Task.IsCompletedSuccessfully ? lost.Task.Result : null;
        var takenOver = ended?.Reason == MqttClientDisconnectReason.SessionTakenOver;
        if (_stop.IsCancellationRequested)
        {
            MarkDisconnected(null);
        }
        else
        {
            var why = MqttErrorText.ForDisconnect(ended?.Reason ?? MqttClientDisconnectReason.NormalDisconnection, ended?.Exception);
            LogConnectionLost(endpoint.Url, why, (int)duration.TotalMilliseconds);
            MarkDisconnected(why);
        }
        return new ConnectionOutcome(true, duration, takenOver);
    }

    /// <summary>TCP (marked), TLS and CONNACK within <see cref="MqttSessionOptions.ConnackTimeout"/>; records why not.</summary>
    private async Task<bool> ConnectAsync(IMqttClient client, MqttClientOptions clientOptions, BrokerEndpoint endpoint, Func<string?> tlsRejection)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        limit.CancelAfter(_options.ConnackTimeout);
        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(clientOptions, limit.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var timedOut = limit.IsCancellationRequested ? _options.ConnackTimeout : (TimeSpan?)null;
            RecordFailure(endpoint, MqttErrorText.ForConnectFailure(ex, tlsRejection(), timedOut));
            return false;
        }
        if (result.ResultCode == MqttClientConnectResultCode.Success) return true;
        RecordFailure(endpoint, MqttErrorText.ForConnack(result.ResultCode));
        return false;
    }

    /// <summary>
    /// Once per connection, the subscription (QoS 1): the broker may have lost our session (a restart without
    /// persistence) and then this is the only thing that brings messages. Retained messages come only with a
    /// new subscription (retain handling 1), not again on every reconnect of a kept session.
    /// </summary>
    private async Task SubscribeAsync(IMqttClient client)
    {
        var filter = new MqttTopicFilter
        {
            Topic = _options.SubscribeTopicFilter,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            RetainHandling = MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly,
        };
        try
        {
            var result = await client.SubscribeAsync(new MqttClientSubscribeOptions { TopicFilters = [filter] }, _stop.Token).ConfigureAwait(false);
            foreach (var item in result.Items)
            {
                if ((int)item.ResultCode >= 0x80) LogSubscribeFailed(_options.SubscribeTopicFilter, MqttErrorText.ForReason(item.ResultCode.ToString(), (int)item.ResultCode));
            }
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection went while subscribing: the loop sees it lost and connects again.
            LogSubscribeFailed(_options.SubscribeTopicFilter, ex.Message);
        }
    }

    /// <summary>
    /// First what the broker never acknowledged (oldest first, each PUBACK awaited); only then the session counts
    /// as connected (a publish from now on goes straight out and waits for its own PUBACK) and the owner's
    /// on-connected work runs (State, Register, ConfigRequest): the fresh State always lands after a queued one.
    /// </summary>
    private async Task AfterConnectAsync(IMqttClient client, BrokerEndpoint endpoint, long connection, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            var resent = 0;
            while (_outbox.NextToResend(connection) is { } message)
            {
                try
                {
                    if (await SendAsync(client, message, connection, ct).ConfigureAwait(false) == MqttPublishOutcome.Queued) return;
                    resent++;
                }
                catch (MqttPublishException)
                {
                    // Refused by the broker and logged; the next one may still go.
                }
            }
            if (resent > 0) LogResent(resent);
            MarkConnected(endpoint);
            if (_options.OnConnected is { } onConnected) await onConnected(this, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttNotConnectedException && ct.IsCancellationRequested)
        {
            // The connection ended meanwhile; the next connect does it again.
        }
        catch (Exception ex)
        {
            LogOnConnectedFailed(ex);
        }
    }

    private async Task DisconnectGracefullyAsync(IMqttClient client)
    {
        // Reason 0x04 asks the broker to publish the will all the same: the hub sees the box offline. Not after a
        // decommission, whose retained State must stay what the hub sees.
        var reason = _options.PublishWillOnShutdown && !_skipWill
            ? MqttClientDisconnectOptionsReason.DisconnectWithWillMessage
            : MqttClientDisconnectOptionsReason.NormalDisconnection;
        using var limit = new CancellationTokenSource(ShutdownFlush);
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = reason }, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone: the broker publishes the will on its own.
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var size = message.Payload.Length;
        var qos = (int)message.QualityOfServiceLevel;
        if (size > _options.MaxInboundPayloadBytes)
        {
            LogTooLarge(message.Topic, size, _options.MaxInboundPayloadBytes);
            Publish(Status with { TooLargeDropped = Status.TooLargeDropped + 1 });
            _inbound.Writer.TryWrite(new InboundTooLarge(message.Topic, (int)size, qos, message.Retain));
        }
        else
        {
            _inbound.Writer.TryWrite(new InboundPublish(message.Topic, message.Payload.ToArray(), qos, message.Retain));
        }
        return Task.CompletedTask;
    }

    /// <summary>How long until a conflict might be over; forever while there is none.</summary>
    private TimeSpan ConflictClearWait()
    {
        if (!Status.IdentityConflict) return Timeout.InfiniteTimeSpan;
        var left = ConflictClearAfter - Stopwatch.GetElapsedTime(_connectedAtTicks);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Outlast the other client's long back-off twice before believing it has gone.</summary>
    private TimeSpan ConflictClearAfter =>
        _options.ConflictBackoff * 2 > _options.StableConnectionAfter ? _options.ConflictBackoff * 2 : _options.StableConnectionAfter;

    private void ClearConflictWhenStable()
    {
        if (!Status.IdentityConflict || Stopwatch.GetElapsedTime(_connectedAtTicks) < ConflictClearAfter) return;
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

    private void MarkConnected(BrokerEndpoint endpoint)
    {
        var status = Status;
        Publish(status with
        {
            Connected = true,
            CurrentUrl = endpoint.Url,
            Since = _options.Clock.GetUtcNow(),
            LastError = status.IdentityConflict ? MqttSessionStatus.IdentityConflictText : null,
            ConnectCount = status.ConnectCount + 1,
        });
        LogConnected(endpoint.Url);
    }

    private void MarkDisconnected(string? error)
    {
        var status = Status;
        if (!status.Connected) return;
        Publish(status with
        {
            Connected = false,
            Since = _options.Clock.GetUtcNow(),
            LastError = status.IdentityConflict ? MqttSessionStatus.IdentityConflictText : error ?? status.LastError,
        });
    }

    private void Publish(MqttSessionStatus status) => Volatile.Write(ref _status, status);

    public override string ToString() => $"MqttSession {{ {_options} }}";

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker refused the publish to {Topic}: {Reason}")]
    private partial void LogPublishRefused(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT re-sent {Count} message(s) the broker had not acknowledged")]
    private partial void LogResent(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT outbox full ({Capacity} unacknowledged messages): the oldest, on {Topic}, is dropped")]
    private partial void LogOutboxFull(string topic, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT message on {Topic} dropped unread: {Size} bytes is over the {Limit}-byte limit")]
    private partial void LogTooLarge(string topic, long size, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT on-connected callback failed")]
    private partial void LogOnConnectedFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Critical, Message = "MQTT session loop failed")]
    private partial void LogLoopCrashed(Exception ex);
}
