using BranchConnector.Agent.Mqtt;

namespace BranchConnector.Tests.Mqtt;

public sealed class BrokerEndpointTests
{
    [Theory]
    [InlineData("mqtts://mqtt1.example.net:8883", "mqtt1.example.net", 8883, true)]
    [InlineData("mqtts://mqtt1.example.net", "mqtt1.example.net", 8883, true)]
    [InlineData("mqtt://192.0.2.10", "192.0.2.10", 1883, false)]
    [InlineData("mqtt://127.0.0.1:34567", "127.0.0.1", 34567, false)]
    [InlineData("mqtt://[2001:db8::1]:1884", "2001:db8::1", 1884, false)]
    public void Parses_host_port_and_tls_from_the_url(string url, string host, int port, bool tls)
    {
        var endpoint = BrokerEndpoint.Parse(new Uri(url));
        Assert.Equal((host, port, tls), (endpoint.Host, endpoint.Port, endpoint.Tls));
    }

    [Theory]
    [InlineData("http://mqtt.example.net")]
    [InlineData("ws://mqtt.example.net:8080")]
    public void Refuses_other_schemes(string url) =>
        Assert.Throws<ArgumentException>(() => BrokerEndpoint.Parse(new Uri(url)));

    [Fact]
    public void Options_never_show_the_password()
    {
        var options = new MqttSessionOptions
        {
            Serial = "BC-1", Urls = [new Uri("mqtt://127.0.0.1")], SubscribeTopicFilter = "VSR/BC-1/#",
            WillTopic = "VSRE/BC-1/state", WillPayload = "{}"u8.ToArray(), Password = "hunter2-secret",
        };
        Assert.DoesNotContain("hunter2-secret", options.ToString(), StringComparison.Ordinal);
    }
}
