using System.Globalization;

namespace BranchConnector.Agent.Doctor;

/// <summary>Each configured broker: reachable over TCP, and for mqtts:// a certificate the CA vouches for, not about to expire.</summary>
public sealed class BrokerCheck(IReadOnlyList<Uri> urls, IBrokerProbe probe, Func<DateTimeOffset> now) : IDoctorCheck
{
    public const string Name = "broker";
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct)
    {
        if (urls.Count == 0) return [CheckResult.Warn(Name, "no broker url configured", "set broker.urls in agent.yaml")];
        var results = new List<CheckResult>();
        foreach (var url in urls) results.Add(Verdict(await probe.ProbeAsync(url, ct).ConfigureAwait(false), now()));
        return results;
    }

    public static CheckResult Verdict(BrokerProbeResult r, DateTimeOffset now)
    {
        var url = $"{r.Url.Scheme}://{r.Url.Authority}";
        if (r.ConnectError is not null)
            return CheckResult.Fail(Name, $"{url}: unreachable ({r.ConnectError})", $"allow outbound TCP {r.Url.Port} to {r.Url.Host}; check DNS and the upstream firewall");
        if (r.TlsError is not null)
            return CheckResult.Fail(Name, $"{url}: TLS invalid ({r.TlsError})", "check broker.ca_file matches the broker's CA and the clock is right");
        if (r.CertificateNotAfter is { } notAfter)
        {
            var expiry = notAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (notAfter <= now) return CheckResult.Fail(Name, $"{url}: certificate expired {expiry}", "the broker's certificate must be renewed");
            if (notAfter - now < ExpiryWarning) return CheckResult.Warn(Name, $"{url}: certificate expires {expiry}", "the broker's certificate must be renewed within 30 days");
            return CheckResult.Ok(Name, $"{url}: reachable, TLS valid until {expiry}");
        }
        return CheckResult.Ok(Name, $"{url}: reachable");
    }
}
