namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// Everything one broker session needs. The password is passed in by the caller (read from its file) and never
/// appears in <see cref="ToString"/>, a log line or an error.
/// </summary>
public sealed record MqttSessionOptions
{
    /// <summary>The device serial: also the MQTT client id.</summary>
    public required string Serial { get; init; }

    /// <summary>mqtt:// or mqtts:// broker addresses, tried in order on every connect.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary>Filter subscribed (QoS 1) on every successful connect, e.g. VSR/BC-0001/#.</summary>
    public required string SubscribeTopicFilter { get; init; }

    /// <summary>Last will: published retained at QoS 1 by the broker when the connection dies without DISCONNECT.</summary>
    public required string WillTopic { get; init; }
    public required ReadOnlyMemory<byte> WillPayload { get; init; }

    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }

    public int KeepaliveSeconds { get; init; } = 30;
    public uint SessionExpirySeconds { get; init; } = 86_400;

    /// <summary>Reconnect back-off: full jitter over an exponential ceiling from min to max.</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait after another client took this identity over (defaults to <see cref="BackoffMax"/>).</summary>
    public TimeSpan? IdentityConflictBackoff { get; init; }

    /// <summary>A connection that dies sooner than this after CONNACK counts as a kick, not a stable connection.</summary>
    public TimeSpan StableConnectionAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>This many kicks in a row without a takeover reason are still read as an identity conflict.</summary>
    public int KicksBeforeConflict { get; init; } = 3;

    /// <summary>Time allowed for TCP connect, TLS handshake and CONNACK together; also MQTTnet's bound on SUBACK and PINGRESP.</summary>
    public TimeSpan ConnackTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Inbound payloads larger than this are never handed over; a <see cref="InboundTooLarge"/> is instead.</summary>
    public int MaxInboundPayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>QoS 1 messages kept for re-sending while unacknowledged; past it the oldest waiting one is dropped (logged).</summary>
    public int OutboxCapacity { get; init; } = 1000;

    /// <summary>On shutdown, disconnect with reason 0x04 so the broker still publishes the will (the hub sees offline).</summary>
    public bool PublishWillOnShutdown { get; init; } = true;

    /// <summary>Runs after every successful (re)connect, once the subscription is queued. Its token ends with the connection.</summary>
    public Func<IMqttSession, CancellationToken, Task>? OnConnected { get; init; }

    /// <summary>
    /// When set, every broker connection is made from a socket carrying this fwmark before connect
    /// (<see cref="MarkedSocketConnector"/>), so a full tunnel never captures the control plane.
    /// </summary>
    public uint? SocketMark { get; init; }

    /// <summary>Where the status timestamps come from (a fake clock in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    internal TimeSpan ConflictBackoff => IdentityConflictBackoff ?? BackoffMax;

    public override string ToString() =>
        $"MqttSessionOptions {{ Serial = {Serial}, Urls = [{string.Join(", ", Urls)}], Username = {Username}, Password = {(Password is null ? "none" : "[redacted]")} }}";
}
