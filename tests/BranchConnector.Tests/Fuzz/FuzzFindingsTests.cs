using System.Text;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Protocol;
using BranchConnector.Tests.Protocol;

namespace BranchConnector.Tests.Fuzz;

/// <summary>What fuzzing found, each as a precise regression: a validation error with its path, never an exception.</summary>
public class FuzzFindingsTests
{
    [Fact]
    public void Invalid_utf8_inside_a_string_is_malformed_with_its_path()
    {
        var text = Encoding.UTF8.GetString(Docs.One("static", """{ "routes": [ { "destination": "10.0.0.0/8", "interface": "XX" } ] }"""));
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf("XX", StringComparison.Ordinal);
        bytes[at] = 0xff;
        bytes[at + 1] = 0xfe;
        var result = BatchDecoder.Decode(bytes);
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.Malformed, error.Code);
        Assert.Equal("commands[0].body.routes[0].interface", error.Path);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_member_name_is_malformed()
    {
        var result = PeeringDecoder.Decode(Encoding.UTF8.GetBytes("""{ "v": 1, "sequence": 1, "config_hash": "x", "groups": [], "\ud800": 1 }"""));
        Assert.Equal(ErrorCodes.Malformed, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Invalid_utf8_in_a_lifecycle_message_is_malformed()
    {
        var bytes = Encoding.UTF8.GetBytes("""{ "v": 1, "action": "approve", "reason": "XX" }""");
        bytes[^4] = 0xc3;
        bytes[^3] = 0x28;
        Assert.Equal(ErrorCodes.Malformed, Assert.Single(LifecycleDecoder.Decode(bytes).Errors).Code);
    }

    [Theory]
    [InlineData("!<%zz> x: 1\n")]        // a global tag that is not a URI
    [InlineData("a: [*x]\n")]           // an alias to nothing: an event the loader does not expect
    public void Agent_yaml_that_trips_the_yaml_library_is_a_config_error(string yaml)
    {
        var e = Assert.ThrowsAny<Exception>(() => AgentSettingsLoader.Parse(yaml, "/etc/branch-connector/agent.yaml"));
        Assert.IsType<ConfigException>(e);
        Assert.StartsWith("/etc/branch-connector/agent.yaml: ", e.Message, StringComparison.Ordinal);
    }
}
