using System.Text;
using BranchConnector.Agent.Mqtt;
using BranchConnector.IntegrationTests.Fixtures;
using static BranchConnector.IntegrationTests.Mqtt.MqttTestKit;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>Connecting to a real mosquitto: password, TLS with CA verification, client certificates, refusals.</summary>
public sealed class MqttSessionConnectTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connects_with_password_publishes_and_receives_only_its_own_topics()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var observer = await MqttObserver.StartAsync(broker, ObserverUser, "VSRE/#");
        await using var running = new Running(Options(serial, broker.Url) with { OnConnected = AnnounceOnline(serial) });

        await running.WaitConnectedAsync();
        var online = await observer.WaitForAsync(m => m.Topic == StateTopic(serial), Wait, "state online");
        Assert.Contains("\"online\":true", online.Payload, StringComparison.Ordinal);

        await broker.PublishAsync(ObserverUser, $"VSR/OTHER-1/batch", "{\"not\":\"mine\"}"u8.ToArray());
        await broker.PublishAsync(ObserverUser, $"VSR/{serial}/batch", "{\"v\":1}"u8.ToArray());
        var inbound = Assert.IsType<InboundPublish>(await ReadAsync(running.Session, Wait));
        Assert.Equal($"VSR/{serial}/batch", inbound.Topic);
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(inbound.Payload.Span));
        Assert.Equal(1, inbound.Qos);

        var status = running.Session.Status;
        Assert.True(status.Connected);
        Assert.Equal(broker.Url, status.CurrentUrl);
        Assert.Null(status.LastError);
        Assert.False(status.IdentityConflict);
        Assert.DoesNotContain(PasswordFor(serial), running.Logger.All, StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordFor(serial), running.Session.ToString() + status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_reported_as_not_authorised()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var running = new Running(Options(serial, broker.Url) with { Password = "wrong-password" });

        await WaitUntilAsync(() => running.Session.Status.LastError is not null, Wait, () => running.Logger.All);
        Assert.False(running.Session.Status.Connected);
        Assert.StartsWith("not authorised", running.Session.Status.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", running.Logger.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connects_over_tls_verifying_the_server_against_the_ca()
    {
        using var pki = await TestCertificates.CreateAsync();
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial), Tls = pki });
        await using var observer = await MqttObserver.StartAsync(broker, ObserverUser, "VSRE/#");
        await using var running = new Running(Options(serial, broker.Url) with { CaFile = pki.CaFile, OnConnected = AnnounceOnline(serial) });

        await running.WaitConnectedAsync();
        Assert.StartsWith("mqtts://", running.Session.Status.CurrentUrl!.ToString(), StringComparison.Ordinal);
        await observer.WaitForAsync(m => m.Topic == StateTopic(serial), Wait, "state online over TLS");
    }

    [Fact]
    public async Task Connects_with_a_client_certificate_when_the_broker_requires_one()
    {
        using var pki = await TestCertificates.CreateAsync();
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial), Tls = pki, RequireClientCertificate = true });

        await using (var withoutCert = new Running(Options(serial, broker.Url) with { CaFile = pki.CaFile }))
        {
            await WaitUntilAsync(() => withoutCert.Session.Status.LastError is not null, Wait, () => withoutCert.Logger.All);
            Assert.False(withoutCert.Session.Status.Connected);
        }

        await using var running = new Running(Options(serial, broker.Url) with
        {
            CaFile = pki.CaFile, CertFile = pki.ClientCertFile, KeyFile = pki.ClientKeyFile,
        });
        await running.WaitConnectedAsync();
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused_with_a_clear_error()
    {
        using var pki = await TestCertificates.CreateAsync();
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial), Tls = pki });
        await using var running = new Running(Options(serial, broker.Url) with { CaFile = pki.OtherCaFile });

        await WaitUntilAsync(() => running.Session.Status.LastError is not null, Wait, () => running.Logger.All);
        await Task.Delay(500);
        var status = running.Session.Status;
        Assert.False(status.Connected);
        Assert.Equal(0, status.ConnectCount);
        Assert.Equal("TLS handshake failed: certificate verify failed", status.LastError);
    }

    [Fact]
    public async Task Fails_over_to_the_next_url_when_the_first_is_down()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var down = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await down.StopAsync();

        await using var running = new Running(Options(serial, down.Url, broker.Url));
        await running.WaitConnectedAsync();
        Assert.Equal(broker.Url, running.Session.Status.CurrentUrl);
        Assert.Contains($"connect to {down.Url} failed", running.Logger.All, StringComparison.Ordinal);
    }
}
