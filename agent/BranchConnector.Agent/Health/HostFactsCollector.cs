using System.Diagnostics;
using System.Net;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Health;

/// <summary>
/// Gathers <see cref="HostFacts"/>. Addresses come from `ip -j addr` (netlink, through the command runner)
/// rather than System.Net.NetworkInformation: ip always answers for the network namespace the agent runs in,
/// the same view the agent applies its state through, whereas .NET's interface list also reads details from
/// /sys/class/net, which shows the namespace that mounted /sys (wrong after a bare `nsenter --net`).
/// </summary>
public sealed class HostFactsCollector
{
    private static readonly CommandRequest IpAddr = new("ip", ["-j", "addr", "show"]) { Timeout = TimeSpan.FromSeconds(10) };

    private readonly ICommandRunner _runner;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly long _createdTimestamp;
    private readonly long _ageAtCreation;
    private readonly string _root;

    /// <param name="startedAt">When the agent process started; the process start time when null.</param>
    /// <param name="fileRoot">Prefix for /etc/os-release and /proc (tests point it at a fake tree).</param>
    public HostFactsCollector(ICommandRunner runner, TimeProvider? timeProvider = null, DateTimeOffset? startedAt = null, string fileRoot = "/")
    {
        _runner = runner;
        _time = timeProvider ?? TimeProvider.System;
        _startedAt = startedAt ?? ProcessStartedAt();
        _root = fileRoot;
        // Uptime counts on the monotonic clock from here on, so a wall clock set back or forward does not change it.
        _createdTimestamp = _time.GetTimestamp();
        _ageAtCreation = Math.Max(0, (long)(_time.GetUtcNow() - _startedAt).TotalSeconds);
    }

    public async Task<HostFacts> CollectAsync(CancellationToken cancellationToken)
    {
        var ips = await PrivateIpsAsync(cancellationToken).ConfigureAwait(false);
        var os = await ReadOsAsync(cancellationToken).ConfigureAwait(false);
        var kernel = (await ReadFileAsync("proc/sys/kernel/osrelease", cancellationToken).ConfigureAwait(false))?.Trim();
        var hostname = (await ReadFileAsync("proc/sys/kernel/hostname", cancellationToken).ConfigureAwait(false))?.Trim();
        if (string.IsNullOrEmpty(hostname)) hostname = Dns.GetHostName();
        var uptime = _ageAtCreation + (long)_time.GetElapsedTime(_createdTimestamp).TotalSeconds;
        return new HostFacts(hostname, os, string.IsNullOrEmpty(kernel) ? null : kernel, ips, uptime, _startedAt);
    }

    private async Task<EquatableList<string>> PrivateIpsAsync(CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(IpAddr, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? IpAddrJsonParser.NonLoopbackAddresses(result.Stdout).ToEquatableList() : [];
    }

    private async Task<string?> ReadOsAsync(CancellationToken cancellationToken)
    {
        // os-release(5): /etc/os-release takes precedence, /usr/lib/os-release is the fallback.
        var content = await ReadFileAsync("etc/os-release", cancellationToken).ConfigureAwait(false)
            ?? await ReadFileAsync("usr/lib/os-release", cancellationToken).ConfigureAwait(false);
        return content is null ? null : OsReleaseParser.PrettyName(content);
    }

    private async Task<string?> ReadFileAsync(string relative, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(Path.Combine(_root, relative), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static DateTimeOffset ProcessStartedAt()
    {
        using var self = Process.GetCurrentProcess();
        return new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
