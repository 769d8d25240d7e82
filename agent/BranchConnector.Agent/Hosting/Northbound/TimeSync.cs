using BranchConnector.Agent.Health.Time;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>
/// The clock check against the hub (spec/protocol.md "Time"): a TimeRequest carrying t0, the reply's t1/t2 and
/// the arrival t3 give offset and round trip; the local NTP state is read alongside.
/// </summary>
public sealed class TimeSync(Publisher publisher, AgentTopics topics, AgentState state, ICommandRunner runner, TimeProvider clock, ILogger<TimeSync> logger)
{
    private bool? _ntp;

    public Task RequestAsync(CancellationToken ct) =>
        publisher.PublishAsync(topics.TimeRequest, ProtocolJson.Serialize(new TimeRequestPayload(clock.GetUtcNow().ToUnixTimeMilliseconds())), 0, false, ct);

    public async Task RefreshNtpAsync(CancellationToken ct)
    {
        var ntp = await new NtpStatusReader(runner).ReadAsync(ct).ConfigureAwait(false);
        _ntp = ntp;
        if (state.Time is { } t) state.SetTime(t with { NtpSynchronized = ntp });
    }

    public void OnReply(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt)
    {
        var decoded = TimeReplyDecoder.Decode(payload.Span);
        if (!decoded.IsValid)
        {
            logger.LogWarning("time reply rejected: {Errors}", string.Join("; ", decoded.Errors));
            return;
        }
        var reply = decoded.Reply!;
        var measured = TimeOffset.Compute(reply.T0, reply.T1, reply.T2, receivedAt.ToUnixTimeMilliseconds());
        var health = TimeHealth.From(measured, _ntp, receivedAt);
        state.SetTime(health);
        if (health.Warning is { } w) logger.LogWarning("{Warning}", w);
    }
}
