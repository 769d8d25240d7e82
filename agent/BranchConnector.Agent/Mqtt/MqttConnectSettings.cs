using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BranchConnector.Agent.Mqtt;

/// <summary>The TLS files could not be used; the message says which setting to check, never a file's content.</summary>
public sealed class MqttTlsSetupException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// MQTTnet's client options for one connect to one broker URL, as protocol.md asks: MQTT 5, client id = serial,
/// clean start off with a session expiry of one day (the broker keeps our subscription and queues QoS 1 for
/// us), the retained QoS 1 last will, user name/password, TLS verified against the configured CA with an
/// optional client certificate. The TLS files are read at every connect, so a renewed certificate is picked
/// up without a restart.
/// </summary>
internal static class MqttConnectSettings
{
    /// <summary>
    /// <paramref name="tlsRejection"/> receives why the broker's certificate was refused: SslStream only says
    /// "rejected by the callback", the status line should say what was wrong.
    /// </summary>
    public static MqttClientOptions Create(MqttSessionOptions options, BrokerEndpoint endpoint, Action<string> tlsRejection)
    {
        var tcp = new MqttClientTcpOptions
        {
            RemoteEndpoint = new DnsEndPoint(endpoint.Host, endpoint.Port),
            StreamProvider = new MarkedSocketConnector(options.SocketMark, options.ConnackTimeout),
            TlsOptions = endpoint.Tls ? Tls(options, endpoint, tlsRejection) : new MqttClientTlsOptions { UseTls = false },
        };
        var client = new MqttClientOptions
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            ClientId = options.Serial,
            ChannelOptions = tcp,
            CleanSession = false,
            SessionExpiryInterval = options.SessionExpirySeconds,
            KeepAlivePeriod = TimeSpan.FromSeconds(options.KeepaliveSeconds),
            // Bounds every request/response wait inside MQTTnet (CONNACK, SUBACK, PINGRESP, DISCONNECT).
            Timeout = options.ConnackTimeout,
            WillTopic = options.WillTopic,
            WillPayload = options.WillPayload.ToArray(),
            WillQualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            WillRetain = true,
        };
        if (options.Username is not null || options.Password is not null)
            client.Credentials = new MqttClientCredentials(options.Username, options.Password is null ? null : Encoding.UTF8.GetBytes(options.Password));
        return client;
    }

    private static MqttClientTlsOptions Tls(MqttSessionOptions options, BrokerEndpoint endpoint, Action<string> tlsRejection)
    {
        X509Certificate2Collection? trust = null;
        X509Certificate2Collection? identity = null;
        try
        {
            if (options.CaFile is not null)
            {
                trust = [];
                trust.ImportFromPemFile(options.CaFile);
                if (trust.Count == 0) throw new CryptographicException($"no certificate in {options.CaFile}");
            }
            if (options.CertFile is not null)
                identity = [X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile ?? options.CertFile)];
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new MqttTlsSetupException($"TLS settings rejected ({ex.Message}): check ca_file, cert_file and key_file are readable PEM files", ex);
        }
        return new MqttClientTlsOptions
        {
            UseTls = true,
            TargetHost = endpoint.Host,
            // A configured CA is the only trust anchor (MQTTnet builds the chain with CustomRootTrust); without
            // one, the system's CAs. No revocation lookups: a branch box may not reach any CRL or OCSP server.
            TrustChain = trust,
            RevocationMode = X509RevocationMode.NoCheck,
            IgnoreCertificateRevocationErrors = true,
            ClientCertificatesProvider = identity is null ? null : new DefaultMqttCertificatesProvider(identity),
            CertificateValidationHandler = e =>
            {
                if (Rejection(e.SslPolicyErrors, endpoint.Host) is not { } why) return true;
                tlsRejection(why);
                return false;
            },
        };
    }

    /// <summary>Why a server certificate is refused, in the words OpenSSL (and so mosquitto) uses; null when it is fine.</summary>
    internal static string? Rejection(SslPolicyErrors errors, string host)
    {
        if (errors == SslPolicyErrors.None) return null;
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return "the broker sent no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0) return "certificate verify failed";
        return $"the certificate does not name {host}";
    }
}
