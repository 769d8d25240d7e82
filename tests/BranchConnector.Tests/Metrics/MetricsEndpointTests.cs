using BranchConnector.Agent.Config;
using BranchConnector.Agent.Metrics;

namespace BranchConnector.Tests.Metrics;

public class MetricsEndpointTests
{
    private const string File = "/etc/branch-connector/agent.yaml";
    private const string Minimal = "serial: BC-0001\nbroker:\n  urls: [ \"mqtt://broker.example.net\" ]\n";

    [Theory]
    [InlineData("127.0.0.1:9188", "127.0.0.1:9188", true)]
    [InlineData("127.0.0.53:1", "127.0.0.53:1", true)]
    [InlineData("[::1]:9188", "[::1]:9188", true)]
    [InlineData("192.0.2.10:9188", "192.0.2.10:9188", false)]
    [InlineData("[2001:db8::7]:65535", "[2001:db8::7]:65535", false)]
    public void An_address_written_out_in_full_is_accepted(string text, string shown, bool loopback)
    {
        var (endpoint, problem) = MetricsEndpoint.Parse(text);
        Assert.Null(problem);
        Assert.Equal(shown, endpoint!.ToString());
        Assert.Equal(loopback, endpoint.IsLoopback);
        Assert.Equal($"http://{shown}/metrics", endpoint.Url);
    }

    [Theory]
    [InlineData("0.0.0.0:9188", "every address")]
    [InlineData("[::]:9188", "every address")]
    [InlineData(":9188", "every address")]
    [InlineData("*:9188", "every address")]
    [InlineData("localhost:9188", "host names are not accepted")]
    [InlineData("metrics.example.net:9188", "host names are not accepted")]
    [InlineData("127.1:9188", "written out in full")]
    [InlineData("0x7f.0.0.1:9188", "written out in full")]
    [InlineData("127.000.0.1:9188", "written out in full")]
    [InlineData("::1:9188", "in brackets")]
    [InlineData("[fe80::1%eth0]:9188", "scope")]
    [InlineData("224.0.0.1:9188", "multicast")]
    [InlineData("127.0.0.1", "ADDRESS:PORT")]
    [InlineData("127.0.0.1:0", "port")]
    [InlineData("127.0.0.1:70000", "port")]
    [InlineData("127.0.0.1:http", "port")]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        var (endpoint, problem) = MetricsEndpoint.Parse(text);
        Assert.Null(endpoint);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("metrics: { listen: \"\" }\n")]
    [InlineData("metrics: {}\n")]
    public void Metrics_are_off_by_default(string extra) =>
        Assert.Null(AgentSettingsLoader.Parse(Minimal + extra, File).Metrics);

    [Fact]
    public void The_setting_is_read_from_agent_yaml() =>
        Assert.Equal("127.0.0.1:9188", AgentSettingsLoader.Parse(Minimal + "metrics: { listen: \"127.0.0.1:9188\" }\n", File).Metrics!.ToString());

    [Fact]
    public void A_refused_address_names_the_key_and_the_file()
    {
        var e = Assert.Throws<ConfigException>(() => AgentSettingsLoader.Parse(Minimal + "metrics: { listen: \"0.0.0.0:9188\" }\n", File));
        Assert.StartsWith($"{File}: metrics.listen: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("every address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_under_metrics_is_a_warning()
    {
        var s = AgentSettingsLoader.Parse(Minimal + "metrics: { listen: \"127.0.0.1:9188\", path: /m }\n", File);
        Assert.Contains(s.Warnings, w => w.Contains("metrics.path", StringComparison.Ordinal));
    }
}
