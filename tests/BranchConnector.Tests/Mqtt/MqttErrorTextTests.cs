using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using BranchConnector.Agent.Mqtt;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;

namespace BranchConnector.Tests.Mqtt;

/// <summary>What the status line and the log say for each way a connection can fail or end.</summary>
public sealed class MqttErrorTextTests
{
    [Fact]
    public void A_refused_tcp_connect_reads_as_the_socket_error()
    {
        var ex = new MqttCommunicationException(new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal("Connection refused", MqttErrorText.ForConnectFailure(ex, null, null));
    }

    [Fact]
    public void An_unknown_host_and_a_timeout_have_their_own_words()
    {
        Assert.Equal("cannot resolve the broker host name",
            MqttErrorText.ForConnectFailure(new MqttCommunicationException(new SocketException((int)SocketError.HostNotFound)), null, null));
        Assert.Equal("no CONNACK within 15 s", MqttErrorText.ForConnectFailure(new OperationCanceledException(), null, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void A_certificate_refused_by_the_check_says_why_and_other_tls_failures_give_the_handshake_error()
    {
        Assert.Equal("TLS handshake failed: certificate verify failed",
            MqttErrorText.ForConnectFailure(new MqttCommunicationException(new AuthenticationException("rejected by callback")), "certificate verify failed", null));
        Assert.Equal("TLS handshake failed: alert",
            MqttErrorText.ForConnectFailure(new MqttCommunicationException(new AuthenticationException("outer", new IOException("alert"))), null, null));
        Assert.Equal("the broker closed the connection before CONNACK",
            MqttErrorText.ForConnectFailure(new MqttConnectingFailedException("Error while authenticating. Connection closed.", null!), null, null));
    }

    [Theory]
    [InlineData(MqttClientConnectResultCode.NotAuthorized, "not authorised")]
    [InlineData(MqttClientConnectResultCode.BadUserNameOrPassword, "not authorised (bad user name or password)")]
    [InlineData(MqttClientConnectResultCode.ServerUnavailable, "connection refused: server unavailable (0x88)")]
    public void Connack_refusals(MqttClientConnectResultCode code, string text) => Assert.Equal(text, MqttErrorText.ForConnack(code));

    [Fact]
    public void Disconnect_reasons_from_the_broker_and_the_transport()
    {
        Assert.StartsWith("session taken over: another device", MqttErrorText.ForDisconnect(MqttClientDisconnectReason.SessionTakenOver, null), StringComparison.Ordinal);
        Assert.Equal("disconnected by the broker: server shutting down (0x8B)", MqttErrorText.ForDisconnect(MqttClientDisconnectReason.ServerShuttingDown, null));
        Assert.Equal("Connection reset by peer",
            MqttErrorText.ForDisconnect(MqttClientDisconnectReason.NormalDisconnection, new MqttCommunicationException(new SocketException((int)SocketError.ConnectionReset))));
        Assert.Equal("connection lost", MqttErrorText.ForDisconnect(MqttClientDisconnectReason.NormalDisconnection, null));
    }

    [Theory]
    [InlineData(SslPolicyErrors.None, null)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors, "certificate verify failed")]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, "certificate verify failed")]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch, "the certificate does not name mqtt.example.net")]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable, "the broker sent no certificate")]
    public void Server_certificate_rejections(SslPolicyErrors errors, string? text) =>
        Assert.Equal(text, MqttConnectSettings.Rejection(errors, "mqtt.example.net"));
}
