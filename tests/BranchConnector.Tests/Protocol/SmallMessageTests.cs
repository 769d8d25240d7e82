using BranchConnector.Agent.Protocol;

namespace BranchConnector.Tests.Protocol;

public class SmallMessageTests
{
    [Theory]
    [InlineData(null, null, 1L, "a", GateDecision.Apply)]
    [InlineData(41L, "a", 42L, "b", GateDecision.Apply)]
    [InlineData(42L, "a", 42L, "a", GateDecision.Repeat)]
    [InlineData(42L, "a", 42L, "b", GateDecision.Stale)]
    [InlineData(42L, "a", 41L, "a", GateDecision.Stale)]
    public void Sequence_gate(long? lastSequence, string? lastHash, long sequence, string hash, GateDecision expected) =>
        Assert.Equal(expected, SequenceGate.Check(lastSequence, lastHash, sequence, hash));

    [Fact]
    public void Stale_error_names_the_sequence() =>
        Assert.Equal((ErrorCodes.StaleSequence, "sequence"), (SequenceGate.StaleError(42, 41).Code, SequenceGate.StaleError(42, 41).Path));

    [Theory]
    [InlineData("approve", LifecycleAction.Approve)]
    [InlineData("decommission", LifecycleAction.Decommission)]
    [InlineData("rotate_keys", LifecycleAction.RotateKeys)]
    [InlineData("drain", LifecycleAction.Drain)]
    [InlineData("undrain", LifecycleAction.Undrain)]
    public void Lifecycle_actions(string action, LifecycleAction expected)
    {
        var result = LifecycleDecoder.Decode(System.Text.Encoding.UTF8.GetBytes($$"""{ "v": 1, "action": "{{action}}", "issued_at": "2026-11-22T11:00:00.5+01:00", "reason": "ops" }"""));
        Assert.Equal(new LifecycleMessage(expected, new DateTimeOffset(2026, 11, 22, 10, 0, 0, 500, TimeSpan.Zero), "ops"), result.Message);
    }

    [Theory]
    [InlineData("""{ "v": 1, "action": "reboot" }""", "action")]
    [InlineData("""{ "v": 1 }""", "action")]
    [InlineData("""{ "v": 3, "action": "approve" }""", "v")]
    [InlineData("""{ "v": 1, "action": "approve", "issued_at": "2026-11-22 10:00" }""", "issued_at")]
    public void Bad_lifecycle(string json, string path)
    {
        var result = LifecycleDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsValid);
        Assert.Equal((ErrorCodes.InvalidField, path), (result.Errors[0].Code, result.Errors[0].Path));
    }

    [Fact]
    public void Time_reply_offset_and_rtt()
    {
        var reply = TimeReplyDecoder.Decode("""{ "v": 1, "t0": 1000, "t1": 1600, "t2": 1610 }"""u8).Reply!;
        Assert.Equal(new TimeReply(1000, 1600, 1610), reply);
        Assert.Equal(595, reply.OffsetMs(1020));
        Assert.Equal(10, reply.RttMs(1020));
    }

    [Theory]
    [InlineData("""{ "v": 1, "t0": 1000, "t1": 1600.5, "t2": 1610 }""", "t1")]
    [InlineData("""{ "v": 1, "t0": 1000, "t1": 1600 }""", "t2")]
    public void Bad_time_reply(string json, string path)
    {
        var result = TimeReplyDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal((ErrorCodes.InvalidField, path), (result.Errors[0].Code, result.Errors[0].Path));
    }
}
