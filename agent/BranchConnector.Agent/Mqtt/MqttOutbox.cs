namespace BranchConnector.Agent.Mqtt;

/// <summary>A QoS 1 message the broker has not acknowledged yet. <see cref="InFlightOn"/>: the connection it was last sent on, 0 = waiting.</summary>
public sealed class OutboxMessage(string topic, byte[] payload, bool retain)
{
    public string Topic { get; } = topic;
    public byte[] Payload { get; } = payload;
    public bool Retain { get; } = retain;
    internal long InFlightOn { get; set; }
}

/// <summary>What <see cref="MqttOutbox.Add"/> did: send now on <paramref name="Connection"/> (0: wait for the next connect), and what it displaced.</summary>
public readonly record struct OutboxAdd(OutboxMessage Message, long Connection, OutboxMessage? Superseded, OutboxMessage? Dropped)
{
    public bool SendNow => Connection != 0;
}

/// <summary>
/// At-least-once delivery across reconnects. MQTTnet forgets a QoS 1 publish whose PUBACK the lost connection
/// never brought, and the broker cannot ask for it again, so every QoS 1 message stays here until its PUBACK
/// arrives. After a reconnect the connection first re-sends what is waiting, oldest first, one at a time, and
/// only then opens for new messages: a retained State can never be overtaken by an older one. A retained
/// message replaces a waiting one on its topic (only the newest retained value means anything); every other
/// message is kept in order (each Confirm counts). Bounded: past <c>capacity</c> the oldest waiting message goes.
/// Thread-safe; connections are told apart by a number, so a late failure from a dead connection cannot
/// disturb the next one.
/// </summary>
public sealed class MqttOutbox(int capacity)
{
    private readonly Lock _gate = new();
    private readonly List<OutboxMessage> _messages = [];
    private long _connection;
    private long _lastConnection;
    private bool _open;

    public int Count
    {
        get { lock (_gate) return _messages.Count; }
    }

    public OutboxAdd Add(string topic, byte[] payload, bool retain)
    {
        var message = new OutboxMessage(topic, payload, retain);
        lock (_gate)
        {
            OutboxMessage? superseded = null, dropped = null;
            if (retain)
            {
                var index = _messages.FindIndex(m => m.Retain && m.InFlightOn == 0 && m.Topic == topic);
                if (index >= 0)
                {
                    superseded = _messages[index];
                    _messages.RemoveAt(index);
                }
            }
            if (_messages.Count >= capacity)
            {
                var index = _messages.FindIndex(m => m.InFlightOn == 0);
                if (index >= 0)
                {
                    dropped = _messages[index];
                    _messages.RemoveAt(index);
                }
            }
            _messages.Add(message);
            if (_open) message.InFlightOn = _connection;
            return new OutboxAdd(message, message.InFlightOn, superseded, dropped);
        }
    }

    /// <summary>A connection was accepted: nothing is in flight on it yet, what was in flight before is waiting again.</summary>
    public long BeginConnection()
    {
        lock (_gate)
        {
            _connection = ++_lastConnection;
            _open = false;
            foreach (var m in _messages) m.InFlightOn = 0;
            return _connection;
        }
    }

    /// <summary>
    /// The oldest waiting message, now in flight on <paramref name="connection"/>; null when none waits, and from
    /// then on new messages go straight out on it. Null as well once that connection has ended.
    /// </summary>
    public OutboxMessage? NextToResend(long connection)
    {
        lock (_gate)
        {
            if (connection != _connection) return null;
            var next = _messages.Find(m => m.InFlightOn == 0);
            if (next is null)
            {
                _open = true;
                return null;
            }
            next.InFlightOn = connection;
            return next;
        }
    }

    /// <summary>The broker answered the message (success or refusal): it is done, and so is any older retained value it replaced.</summary>
    public void Answered(OutboxMessage message)
    {
        lock (_gate)
        {
            var index = _messages.IndexOf(message);
            if (index < 0) return;
            _messages.RemoveAt(index);
            if (!message.Retain) return;
            for (var i = index - 1; i >= 0; i--)
            {
                var older = _messages[i];
                if (older.Retain && older.InFlightOn == 0 && older.Topic == message.Topic) _messages.RemoveAt(i);
            }
        }
    }

    /// <summary>The send on <paramref name="connection"/> failed: the message waits for the next connection.</summary>
    public void Unanswered(OutboxMessage message, long connection)
    {
        lock (_gate)
        {
            if (message.InFlightOn == connection) message.InFlightOn = 0;
        }
    }

    /// <summary>The connection is gone: new messages wait.</summary>
    public void EndConnection()
    {
        lock (_gate)
        {
            _connection = 0;
            _open = false;
            foreach (var m in _messages) m.InFlightOn = 0;
        }
    }
}
