using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health.Stun;

namespace BranchConnector.Tests.Health;

/// <summary>The client against scripted STUN servers on loopback (real UDP sockets, no namespaces needed).</summary>
public class StunClientTests
{
    private static readonly StunTiming Fast = new(TimeSpan.FromMilliseconds(40), 4, 4);

    // A loaded machine can take longer than Fast's 40 ms to answer; where a test counts requests, a patient
    // client shows that nothing but a lost answer makes it resend.
    private static readonly StunTiming Patient = new(TimeSpan.FromSeconds(3), 2, 2);

    private static Endpoint At(LoopbackStunResponder server) => new("127.0.0.1", server.EndPoint.Port);

    [Fact]
    public void Rfc8489_schedule_sends_seven_requests_and_gives_up_after_39_5_s()
    {
        var t = StunTiming.Rfc8489;
        var sendTimes = Enumerable.Range(0, 7).Select(i => Enumerable.Range(0, i).Sum(a => t.WaitAfter(a).TotalMilliseconds)).ToArray();
        Assert.Equal([0, 500, 1500, 3500, 7500, 15500, 31500], sendTimes);
        Assert.Equal(TimeSpan.FromMilliseconds(39500), t.TransactionTimeout);
    }

    [Fact]
    public async Task Both_servers_see_the_same_socket_and_loopback_is_classified_none()
    {
        await using var a = LoopbackStunResponder.Honest();
        await using var b = LoopbackStunResponder.Honest();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var query = await new StunClient(Patient).QueryAsync(socket, [At(a), At(b)]);

        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        Assert.All(query.Answers, answer => Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), answer.MappedAddress));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), query.LocalEndPoint);
        Assert.Equal("none", NatClassifier.Classify(query, DateTimeOffset.UnixEpoch).NatMapping);
        Assert.Equal(1, a.Requests);
        Assert.Equal(1, b.Requests);
    }

    [Fact]
    public async Task Host_names_are_resolved()
    {
        await using var a = LoopbackStunResponder.Honest();
        var result = await new StunClient(Fast).CheckAsync([new Endpoint("localhost", a.EndPoint.Port)]);
        Assert.Equal("none", result.NatMapping);
        Assert.Equal($"localhost:{a.EndPoint.Port}", result.Server);
    }

    [Fact]
    public async Task Lost_requests_are_retransmitted()
    {
        await using var lossy = new LoopbackStunResponder((request, from, n) =>
            n < 3 ? [] : [(null, LoopbackStunResponder.Answer(request, from))]);

        var query = await new StunClient(Fast).QueryAsync([At(lossy)], IPAddress.Loopback);

        Assert.True(Assert.Single(query.Answers).Answered);
        // At least the two lost ones and the answered third; under load the answer to the third can arrive after
        // the next retransmission left, which is a fourth request, not a fault.
        Assert.True(lossy.Requests >= 3, $"{lossy.Requests} requests");
    }

    [Fact]
    public async Task Wrong_transaction_id_and_answers_from_another_source_are_ignored()
    {
        using var impostor = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        impostor.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var forged = new IPEndPoint(IPAddress.Parse("192.0.2.66"), 1);
        await using var server = new LoopbackStunResponder((request, from, n) =>
        {
            if (n > 1) return [(null, LoopbackStunResponder.Answer(request, from))];
            var otherId = (byte[])request.Clone();
            otherId[19] ^= 0xff;
            return
            [
                (null, LoopbackStunResponder.Answer(otherId, forged)),   // right source, wrong transaction
                (impostor, LoopbackStunResponder.Answer(request, forged)), // right transaction, wrong source
            ];
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var query = await new StunClient(Fast).QueryAsync(socket, [At(server)]);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)socket.LocalEndPoint!).Port), Assert.Single(query.Answers).MappedAddress);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Garbage_and_oversized_datagrams_from_the_server_are_ignored()
    {
        var random = new Random(5769);
        await using var server = new LoopbackStunResponder((request, from, _) =>
        {
            var replies = new List<(Socket?, byte[])>();
            var huge = new byte[3000];
            random.NextBytes(huge);
            replies.Add((null, huge));
            var tooBig = LoopbackStunResponder.Answer(request, new IPEndPoint(IPAddress.Parse("192.0.2.66"), 1), fingerprint: false);
            replies.Add((null, [.. tooBig, .. new byte[2100]]));
            for (var i = 0; i < 20; i++)
            {
                var junk = new byte[random.Next(0, 100)];
                random.NextBytes(junk);
                replies.Add((null, junk));
            }
            replies.Add((null, LoopbackStunResponder.Answer(request, from)[..^4])); // truncated
            replies.Add((null, LoopbackStunResponder.Answer(request, from)));
            return replies;
        });

        var query = await new StunClient(Patient).QueryAsync([At(server)], IPAddress.Loopback);

        Assert.Equal(IPAddress.Loopback, Assert.Single(query.Answers).MappedAddress?.Address);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Silent_server_gets_every_retransmission_then_times_out_as_udp_blocked()
    {
        await using var silent = new LoopbackStunResponder((_, _, _) => []);
        var watch = Stopwatch.StartNew();

        var result = await new StunClient(Fast).CheckAsync([At(silent)], IPAddress.Loopback);

        Assert.True(watch.Elapsed >= Fast.TransactionTimeout - TimeSpan.FromMilliseconds(20), $"gave up after {watch.Elapsed}");
        Assert.Equal(Fast.MaxRequests, silent.Requests);
        Assert.True(result.UdpBlocked);
        Assert.Equal("unknown", result.NatMapping);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        await using var silent = new LoopbackStunResponder((_, _, _) => []);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var client = new StunClient(StunTiming.Rfc8489);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync([At(silent)], IPAddress.Loopback, cts.Token));
    }

    [Fact]
    public async Task Software_attribute_is_sent_when_configured()
    {
        string? seen = null;
        await using var server = new LoopbackStunResponder((request, from, _) =>
        {
            seen = System.Text.Encoding.UTF8.GetString(request.AsSpan(24, request[23]));
            return [(null, LoopbackStunResponder.Answer(request, from))];
        });

        await new StunClient(Fast, software: "branch-connector 0.1.0").QueryAsync([At(server)], IPAddress.Loopback);

        Assert.Equal("branch-connector 0.1.0", seen);
    }
}
