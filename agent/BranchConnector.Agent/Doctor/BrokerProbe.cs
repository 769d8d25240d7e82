using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace BranchConnector.Agent.Doctor;

/// <summary>What one broker url showed: TCP reachability and, for mqtts://, the server certificate.</summary>
public sealed record BrokerProbeResult(Uri Url, string? ConnectError, string? TlsError, DateTimeOffset? CertificateNotAfter);

public interface IBrokerProbe
{
    Task<BrokerProbeResult> ProbeAsync(Uri url, CancellationToken ct);
}

/// <summary>TCP connect, then a TLS handshake validated against the configured CA (as the MQTT client would).</summary>
public sealed class TcpBrokerProbe(string? caFile, TimeSpan timeout) : IBrokerProbe
{
    public async Task<BrokerProbeResult> ProbeAsync(Uri url, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(url.Host, url.Port, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new BrokerProbeResult(url, e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message, null, null);
        }
        if (url.Scheme != "mqtts") return new BrokerProbeResult(url, null, null, null);
        string? chainError = null;
        X509Certificate2? serverCert = null;
        await using var tls = new SslStream(client.GetStream(), false, (_, cert, _, errors) =>
        {
            if (cert is not null) serverCert = new X509Certificate2(cert);
            chainError = Validate(cert, errors, url.Host);
            return true;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = url.Host }, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new BrokerProbeResult(url, null, chainError ?? "TLS handshake failed: " + e.Message, serverCert?.NotAfter);
        }
        using (serverCert) return new BrokerProbeResult(url, null, chainError, serverCert is null ? null : new DateTimeOffset(serverCert.NotAfter.ToUniversalTime()));
    }

    private string? Validate(X509Certificate? cert, SslPolicyErrors errors, string host)
    {
        if (cert is null) return "the broker sent no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return $"the certificate does not name {host}";
        if (caFile is null) return (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 ? "the certificate is not trusted by the system CAs" : null;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        try
        {
            chain.ChainPolicy.CustomTrustStore.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return $"cannot read the CA file {caFile}: {e.Message}";
        }
        using var leaf = new X509Certificate2(cert);
        return chain.Build(leaf) ? null
            : $"not trusted by {caFile}: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}";
    }
}
