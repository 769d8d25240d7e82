using BranchConnector.Agent.Mqtt;

namespace BranchConnector.Tests.Mqtt;

/// <summary>At-least-once bookkeeping: what waits, what is re-sent after a reconnect and in which order.</summary>
public sealed class MqttOutboxTests
{
    private static byte[] P(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Offline_messages_wait_and_are_resent_oldest_first_before_the_connection_opens()
    {
        var outbox = new MqttOutbox(10);
        Assert.False(outbox.Add("n/confirm", P("c1"), retain: false).SendNow);
        Assert.False(outbox.Add("n/confirm", P("c2"), retain: false).SendNow);

        var connection = outbox.BeginConnection();
        // While the backlog drains, a new message waits behind it.
        Assert.False(outbox.Add("n/confirm", P("c3"), retain: false).SendNow);
        var order = new List<string>();
        while (outbox.NextToResend(connection) is { } m)
        {
            order.Add(System.Text.Encoding.UTF8.GetString(m.Payload));
            outbox.Answered(m);
        }
        Assert.Equal(["c1", "c2", "c3"], order);

        var live = outbox.Add("n/confirm", P("c4"), retain: false);
        Assert.True(live.SendNow);
        Assert.Equal(connection, live.Connection);
        outbox.Answered(live.Message);
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void A_message_in_flight_when_the_connection_drops_is_sent_again_on_the_next_one()
    {
        var outbox = new MqttOutbox(10);
        var first = outbox.BeginConnection();
        Assert.Null(outbox.NextToResend(first));
        var sent = outbox.Add("n/confirm", P("c1"), retain: false);
        Assert.True(sent.SendNow);

        outbox.EndConnection();
        // The dead connection's failure arrives late: it must not disturb the next connection's bookkeeping.
        var second = outbox.BeginConnection();
        var again = outbox.NextToResend(second);
        Assert.Same(sent.Message, again);
        outbox.Unanswered(sent.Message, first);
        Assert.Null(outbox.NextToResend(second)); // still in flight on the second connection, not handed out twice
        outbox.Answered(again!);
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void A_waiting_retained_message_is_replaced_by_a_newer_one_on_its_topic_but_confirms_all_stay()
    {
        var outbox = new MqttOutbox(10);
        outbox.Add("n/state", P("approved"), retain: true);
        outbox.Add("n/confirm", P("c1"), retain: false);
        var newer = outbox.Add("n/state", P("provisioned"), retain: true);
        outbox.Add("n/confirm", P("c2"), retain: false);

        Assert.Equal("approved", System.Text.Encoding.UTF8.GetString(newer.Superseded!.Payload));
        var connection = outbox.BeginConnection();
        var order = new List<string>();
        while (outbox.NextToResend(connection) is { } m)
        {
            order.Add(System.Text.Encoding.UTF8.GetString(m.Payload));
            outbox.Answered(m);
        }
        Assert.Equal(["c1", "provisioned", "c2"], order);
    }

    [Fact]
    public void An_acknowledged_retained_value_retires_an_older_one_that_was_waiting()
    {
        var outbox = new MqttOutbox(10);
        var connection = outbox.BeginConnection();
        Assert.Null(outbox.NextToResend(connection));
        var old = outbox.Add("n/state", P("approved"), retain: true);
        var current = outbox.Add("n/state", P("provisioned"), retain: true);
        // The older send was cancelled (it waits again); the newer one is acknowledged.
        outbox.Unanswered(old.Message, connection);
        outbox.Answered(current.Message);
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void Past_its_capacity_the_oldest_waiting_message_is_dropped()
    {
        var outbox = new MqttOutbox(2);
        outbox.Add("n/confirm", P("c1"), retain: false);
        outbox.Add("n/confirm", P("c2"), retain: false);
        var third = outbox.Add("n/confirm", P("c3"), retain: false);
        Assert.Equal("c1", System.Text.Encoding.UTF8.GetString(third.Dropped!.Payload));
        Assert.Equal(2, outbox.Count);
    }

    [Fact]
    public void After_the_connection_ends_new_messages_wait_again()
    {
        var outbox = new MqttOutbox(10);
        var connection = outbox.BeginConnection();
        Assert.Null(outbox.NextToResend(connection));
        outbox.EndConnection();
        Assert.False(outbox.Add("n/confirm", P("c1"), retain: false).SendNow);
        Assert.Null(outbox.NextToResend(connection));
        Assert.Equal(1, outbox.Count);
    }
}
