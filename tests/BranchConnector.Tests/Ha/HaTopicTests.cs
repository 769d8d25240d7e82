using BranchConnector.Agent.Ha;
using BranchConnector.Agent.Protocol;
using static BranchConnector.Tests.Protocol.Docs;

namespace BranchConnector.Tests.Ha;

/// <summary>The `ha` topic: a good pair decodes to its spec; each bad body fails with exactly one code and path.</summary>
public class HaTopicTests
{
    private const string Lan = """{ "index": 0, "topic": "interface", "body": { "interfaces": [ { "name": "lan0", "addresses": ["192.168.10.2/24", "2001:db8:10::2/64"] } ] } }""";

    public static string Body(string? replace = null, string? with = null, string extra = "")
    {
        var body = $$"""{ "group": "site-42", "vrid": 42, "interface": "lan0", "virtual_addresses": ["192.168.10.1/24"], "priority": 150, "peers": ["192.168.10.3"], "advert_interval_ms": 200, "preempt": false {{extra}} }""";
        return replace is null ? body : body.Replace(replace, with, StringComparison.Ordinal);
    }

    private static byte[] WithLan(string haBody, bool haFirst = false) => haFirst
        ? Batch($$"""[ { "index": 0, "topic": "ha", "body": {{haBody}} }, {{Lan.Replace("\"index\": 0", "\"index\": 1")}} ]""")
        : Batch($$"""[ {{Lan}}, { "index": 1, "topic": "ha", "body": {{haBody}} } ]""");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Good_pair_decodes_whatever_the_order_of_the_commands(bool haFirst)
    {
        var result = BatchDecoder.Decode(WithLan(Body(), haFirst));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new HaSpec("site-42", 42, "lan0", ["192.168.10.1/24"], 150, ["192.168.10.3"], 200, false, "192.168.10.2"), result.Batch!.Config.Ha);
    }

    [Fact]
    public void Defaults_are_the_VRRP_ones()
    {
        var body = """{ "group": "g", "vrid": 1, "interface": "lan0", "virtual_addresses": ["192.168.10.1/24"], "peers": ["192.168.10.3"] }""";
        var spec = BatchDecoder.Decode(WithLan(body)).Batch!.Config.Ha!;
        Assert.Equal((100, 1000, true), (spec.Priority, spec.AdvertIntervalMs, spec.Preempt));
    }

    [Fact]
    public void IPv6_group_takes_its_source_from_the_IPv6_subnet()
    {
        var body = """{ "group": "g6", "vrid": 7, "interface": "lan0", "virtual_addresses": ["2001:db8:10::1/64"], "peers": ["2001:db8:10::3"] }""";
        Assert.Equal("2001:db8:10::2", BatchDecoder.Decode(WithLan(body)).Batch!.Config.Ha!.UnicastSource);
    }

    [Fact]
    public void Absent_topic_is_null() => Assert.Null(BatchDecoder.Decode(Batch($"[ {Lan} ]")).Batch!.Config.Ha);

    public static TheoryData<string, byte[], string> Bad => new()
    {
        { "vrid 0", WithLan(Body("\"vrid\": 42", "\"vrid\": 0")), "commands[1].body.vrid" },
        { "vrid 256", WithLan(Body("\"vrid\": 42", "\"vrid\": 256")), "commands[1].body.vrid" },
        { "vrid missing", WithLan(Body("\"vrid\": 42,", "")), "commands[1].body.vrid" },
        { "priority 0", WithLan(Body("\"priority\": 150", "\"priority\": 0")), "commands[1].body.priority" },
        { "priority 255 (the address owner's)", WithLan(Body("\"priority\": 150", "\"priority\": 255")), "commands[1].body.priority" },
        { "virtual address outside the subnets", WithLan(Body("192.168.10.1/24", "192.168.20.1/24")), "commands[1].body.virtual_addresses[0]" },
        { "second virtual address outside", WithLan(Body("\"192.168.10.1/24\"", "\"192.168.10.1/24\", \"10.9.9.9/24\"")), "commands[1].body.virtual_addresses[1]" },
        { "virtual address is the box's own", WithLan(Body("192.168.10.1/24", "192.168.10.2/24")), "commands[1].body.virtual_addresses[0]" },
        { "virtual address without prefix", WithLan(Body("192.168.10.1/24", "192.168.10.1")), "commands[1].body.virtual_addresses[0]" },
        { "no virtual address", WithLan(Body("[\"192.168.10.1/24\"]", "[]")), "commands[1].body.virtual_addresses" },
        { "mixed families", WithLan(Body("\"192.168.10.1/24\"", "\"192.168.10.1/24\", \"2001:db8:10::1/64\"")), "commands[1].body.virtual_addresses[1]" },
        { "interface not in the batch", WithLan(Body("\"lan0\"", "\"lan1\"")), "commands[1].body.interface" },
        { "interface missing", WithLan(Body("\"interface\": \"lan0\",", "")), "commands[1].body.interface" },
        { "interface name lan0;reboot", WithLan(Body("\"lan0\"", "\"lan0;reboot\"")), "commands[1].body.interface" },
        { "ha without any interface topic", One("ha", Body()), "commands[0].body.interface" },
        { "advert interval 5 ms", WithLan(Body("\"advert_interval_ms\": 200", "\"advert_interval_ms\": 5")), "commands[1].body.advert_interval_ms" },
        { "advert interval 0", WithLan(Body("\"advert_interval_ms\": 200", "\"advert_interval_ms\": 0")), "commands[1].body.advert_interval_ms" },
        { "advert interval 15 ms (not centiseconds)", WithLan(Body("\"advert_interval_ms\": 200", "\"advert_interval_ms\": 15")), "commands[1].body.advert_interval_ms" },
        { "advert interval beyond 4095 cs", WithLan(Body("\"advert_interval_ms\": 200", "\"advert_interval_ms\": 40960")), "commands[1].body.advert_interval_ms" },
        { "peer not an address", WithLan(Body("\"192.168.10.3\"", "\"partner\"")), "commands[1].body.peers[0]" },
        { "peer outside the LAN", WithLan(Body("\"192.168.10.3\"", "\"192.168.10.3\", \"10.1.1.1\"")), "commands[1].body.peers[1]" },
        { "peer is the box itself", WithLan(Body("\"192.168.10.3\"", "\"192.168.10.2\"")), "commands[1].body.peers[0]" },
        { "peer twice", WithLan(Body("\"192.168.10.3\"", "\"192.168.10.3\", \"192.168.10.3\"")), "commands[1].body.peers[1]" },
        { "no peers", WithLan(Body("[\"192.168.10.3\"]", "[]")), "commands[1].body.peers" },
        { "peers missing", WithLan(Body("\"peers\": [\"192.168.10.3\"],", "")), "commands[1].body.peers" },
        { "preempt as string", WithLan(Body("\"preempt\": false", "\"preempt\": \"no\"")), "commands[1].body.preempt" },
        { "group empty", WithLan(Body("\"site-42\"", "\"\"")), "commands[1].body.group" },
        { "group with a newline", WithLan(Body("\"site-42\"", "\"site\\n42\"")), "commands[1].body.group" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_body_is_invalid_field_with_its_path(string name, byte[] payload, string path)
    {
        var result = BatchDecoder.Decode(payload);
        Assert.False(result.IsValid, name);
        Assert.True(result.Errors.Count == 1 && result.Errors[0].Code == ErrorCodes.InvalidField && result.Errors[0].Path == path,
            $"{name}: expected one invalid_field {path}, got {string.Join(" | ", result.Errors)}");
        Assert.Equal("ha", result.Errors[0].Topic);
    }
}
