namespace BranchConnector.Agent.Doctor;

/// <summary>`net.ipv4.ip_forward`: the box routes LAN traffic into the tunnels.</summary>
public sealed class IpForwardCheck(Func<string, string?> readProc) : IDoctorCheck
{
    public const string Name = "ip_forward";
    public const string Path = "/proc/sys/net/ipv4/ip_forward";

    public Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct)
    {
        var value = readProc(Path)?.Trim();
        IReadOnlyList<CheckResult> result = [value switch
        {
            "1" => CheckResult.Ok(Name, "net.ipv4.ip_forward = 1"),
            null => CheckResult.Warn(Name, "cannot read " + Path, "check net.ipv4.ip_forward by hand"),
            _ => CheckResult.Fail(Name, $"net.ipv4.ip_forward = {value}", "LAN traffic cannot reach the tunnels: sysctl -w net.ipv4.ip_forward=1 and persist it in /etc/sysctl.d"),
        }];
        return Task.FromResult(result);
    }
}

/// <summary>
/// Reverse-path filtering on the tunnel interfaces: the kernel uses the larger of `all` and the interface's value,
/// and strict mode (1) drops tunnel traffic whose source is routed elsewhere (asymmetric and full-tunnel routing).
/// </summary>
public sealed class RpFilterCheck(IReadOnlyList<string> tunnelInterfaces, Func<string, string?> readProc) : IDoctorCheck
{
    public const string Name = "rp_filter";

    public Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct)
    {
        var all = Read("all");
        var results = new List<CheckResult>();
        foreach (var name in tunnelInterfaces)
        {
            if (Read(name) is not { } own)
            {
                results.Add(CheckResult.Ok(Name, $"{name}: interface not present"));
                continue;
            }
            var effective = Math.Max(own, all ?? 0);
            results.Add(effective == 1
                ? CheckResult.Warn(Name, $"{name}: strict (all={all}, {name}={own})",
                    $"strict reverse-path filtering drops asymmetric tunnel traffic: sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.{name}.rp_filter=2")
                : CheckResult.Ok(Name, $"{name}: {(effective == 0 ? "off" : "loose")} (all={all}, {name}={own})"));
        }
        if (results.Count == 0) results.Add(CheckResult.Ok(Name, "no tunnel interfaces configured"));
        return Task.FromResult<IReadOnlyList<CheckResult>>(results);
    }

    private int? Read(string iface) =>
        int.TryParse(readProc($"/proc/sys/net/ipv4/conf/{iface}/rp_filter")?.Trim(), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
}
