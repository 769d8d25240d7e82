using BranchConnector.Agent.Health.Stun;
using BranchConnector.Agent.Health.Time;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Doctor;

/// <summary>The real checks, in the order `doctor` prints them.</summary>
public static class DoctorChecks
{
    /// <summary>Shorter than the daemon's RFC 8489 schedule: a person is waiting (gives up after 1.4 s per server).</summary>
    public static readonly StunTiming Timing = new(TimeSpan.FromMilliseconds(200), 3, 4);

    public static async Task<IReadOnlyList<IDoctorCheck>> CreateAsync(DoctorInputs inputs, ICommandRunner runner, CancellationToken ct)
    {
        var settings = inputs.Settings;
        var backbone = inputs.Config.Backbone;
        var hub = await PathMtuCheck.ResolveAsync(backbone?.Hub?.Endpoint?.Host, ct).ConfigureAwait(false);
        var stun = new StunClient(Timing, software: $"{AgentInfo.ProgramName} doctor");
        return
        [
            new StunCheck(inputs.Config.Monitoring.StunServers, (servers, c) => stun.CheckAsync(servers, cancellationToken: c)),
            new ClockCheck(inputs.Daemon?.Time, c => new NtpStatusReader(runner).ReadAsync(c)),
            new WireGuardCheck(c => WgImplementationProbe.ProbeAsync(runner, settings.WireGuard, c), () => File.Exists("/dev/net/tun")),
            new FirewallCheck(settings.Firewall.Manage, c => FirewallBackendDetector.DetectAsync(runner, settings.Firewall.Backend, c)),
            new IpForwardCheck(ReadProc),
            new RpFilterCheck(inputs.TunnelInterfaces, ReadProc),
            new PathMtuCheck(runner, hub, backbone?.Mtu),
            new BrokerCheck(settings.Broker.Urls, new TcpBrokerProbe(settings.Broker.CaFile, TimeSpan.FromSeconds(5)), TimeProvider.System.GetUtcNow),
        ];
    }

    public static async Task<IReadOnlyList<CheckResult>> RunAsync(IEnumerable<IDoctorCheck> checks, CancellationToken ct)
    {
        var results = new List<CheckResult>();
        foreach (var check in checks) results.AddRange(await check.RunAsync(ct).ConfigureAwait(false));
        return results;
    }

    private static string? ReadProc(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
