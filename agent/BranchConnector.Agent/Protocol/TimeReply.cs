using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;

namespace BranchConnector.Agent.Protocol;

/// <summary>`{S}/{serial}/time`: the hub's answer to a TimeRequest, unix milliseconds (t1 server receive, t2 server send).</summary>
public sealed record TimeReply(long T0, long T1, long T2)
{
    /// <summary>Clock offset of the hub relative to this box, NTP style: ((t1−t0)+(t2−t3))/2.</summary>
    public long OffsetMs(long t3) => ((T1 - T0) + (T2 - t3)) / 2;

    /// <summary>Round trip without the hub's processing time: (t3−t0)−(t2−t1).</summary>
    public long RttMs(long t3) => (t3 - T0) - (T2 - T1);
}

public sealed record TimeReplyDecodeResult(TimeReply? Reply, EquatableList<ValidationError> Errors)
{
    public bool IsValid => Reply is not null;
}

public static class TimeReplyDecoder
{
    public static TimeReplyDecodeResult Decode(ReadOnlySpan<byte> payload)
    {
        var errors = new ErrorCollector();
        using var document = EnvelopeReader.Parse(payload, errors);
        if (document is null) return new TimeReplyDecodeResult(null, errors.Errors.ToEquatableList());
        var root = ObjectReader.From(document.RootElement, "", errors)!.Value;
        EnvelopeReader.CheckVersion(root);
        var t0 = root.Integer("t0", true, 0, long.MaxValue);
        var t1 = root.Integer("t1", true, 0, long.MaxValue);
        var t2 = root.Integer("t2", true, 0, long.MaxValue);
        var reply = errors.Count == 0 ? new TimeReply(t0!.Value, t1!.Value, t2!.Value) : null;
        return new TimeReplyDecodeResult(reply, errors.Errors.ToEquatableList());
    }
}
