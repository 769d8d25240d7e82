using System.Diagnostics;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>
/// An in-memory Linux box behind the agent's one runner seam (<see cref="ICommandRunner"/>): it executes the
/// exact tool invocations the planner emits and answers the observer's reads in the tools' own output formats,
/// so StateObserver → ReconcilePlanner → PlanApplier run unchanged against it. In the spirit of Tailscale's
/// fakeOS router tests, but at the command-text level.
///
/// API (keep it small):
/// <list type="bullet">
/// <item><c>new FakeKernel()</c>: a box with only <c>lo</c>; add the rest with <see cref="AddLink"/>, foreign
///   routes/rules/xfrm objects with <see cref="Routes"/>, <see cref="Rules"/>, <see cref="States"/>,
///   <see cref="Policies"/>, foreign firewall rules with <see cref="Netfilter"/>.</item>
/// <item><see cref="KnowKeyPair"/>: <c>wg</c> reports a device's public key, which the fake cannot derive
///   (no Curve25519 here), so tests register each private → public pair they hand the planner.</item>
/// <item><see cref="RunAsync"/>: the runner. Executes: <c>ip -batch -</c> (address/link/route/rule/xfrm
///   lines), <c>ip [-6] …</c> reads (<c>-j -d addr show</c>, <c>-N -j route show table all proto 188</c>,
///   <c>-N -j rule show</c>, <c>xfrm state|policy list</c>), <c>ip link add|del</c>, the userspace command
///   (<see cref="UserspaceCommand"/> IF), <c>wg syncconf IF /dev/stdin</c>, <c>wg show IF dump</c>,
///   <c>ip[6]tables-{nft,legacy}-save</c> and <c>-restore --noflush</c>, <c>sysctl -q -w K=V</c> (read back
///   through <see cref="SysctlView"/>, as the agent reads /proc/sys). Refusals answer like the real tool
///   (exit 1/2, "RTNETLINK answers: File exists", "Command failed -:N"); a command it does not know throws
///   <see cref="NotSupportedException"/> so a test never passes on an unmodelled command.</item>
/// <item><see cref="Log"/>: every request run, in order; <see cref="Dump"/>: the whole state as sorted text
///   lines, so two states compare with Assert.Equal and a failure shows the difference.</item>
/// </list>
/// Kernel behaviour modelled because plans depend on it: route identity (destination, table, metric) across
/// protocols; `route add` of an existing key fails; routes need an up device; deleting a link takes its
/// addresses and routes with it; setconf semantics of <c>wg syncconf</c> (absent ListenPort/FwMark/PSK/keepalive
/// reset, kept peers keep their session); an allowed IP moves between peers; iptables-restore is all or
/// nothing; ip -batch keeps the lines before a failing one.
/// </summary>
public sealed partial class FakeKernel : ICommandRunner
{
    private readonly List<FakeLink> _links = [];
    private readonly Dictionary<string, FakeWgDevice> _wg = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _publicKeys = new(StringComparer.Ordinal);
    private int _nextIndex = 1;
    private int _nextPort = 40000;

    public FakeKernel()
    {
        var lo = AddLink("lo", 65536, up: true);
        lo.Addresses.AddRange(["127.0.0.1/8", "::1/128"]);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            Rules.Add(new FakeRule(family, 0, null, null, 255, null, false, null));
            Rules.Add(new FakeRule(family, 32766, null, null, 254, null, false, null));
        }
        Rules.Add(new FakeRule(IpFamily.V4, 32767, null, null, 253, null, false, null));
    }

    public string UserspaceCommand { get; init; } = "wireguard-go";

    public IReadOnlyList<FakeLink> Links => _links;
    public List<FakeRoute> Routes { get; } = [];
    public List<FakeRule> Rules { get; } = [];
    public List<FakeSa> States { get; } = [];
    public List<FakePolicy> Policies { get; } = [];
    public FakeNetfilter Netfilter4 { get; } = new();
    public FakeNetfilter Netfilter6 { get; } = new();
    public IReadOnlyDictionary<string, FakeWgDevice> WgDevices => _wg;
    public List<CommandRequest> Log { get; } = [];

    /// <summary>The sysctls the agent may write (`sysctl -q -w k=v`), read back through <see cref="SysctlView"/>.</summary>
    public Dictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal) { ["net.ipv4.conf.all.src_valid_mark"] = "0" };

    public BranchConnector.Agent.Linux.Routes.SysctlReader SysctlView => new(key => Sysctls.GetValueOrDefault(key));

    public FakeNetfilter Netfilter(IpFamily family) => family == IpFamily.V4 ? Netfilter4 : Netfilter6;

    public FakeLink AddLink(string name, int mtu = 1500, bool up = true, string? kind = null, params string[] addresses)
    {
        if (_links.Any(l => l.Name == name)) throw new ArgumentException($"link {name} exists");
        var link = new FakeLink(name, _nextIndex++, mtu, up, kind);
        link.Addresses.AddRange(addresses.Select(Addr.Interface));
        _links.Add(link);
        if (kind == "wireguard") _wg[name] = new FakeWgDevice();
        return link;
    }

    public void KnowKeyPair(string privateKey, string publicKey) => _publicKeys[privateKey] = publicKey;

    public FakeLink? Link(string name) => _links.FirstOrDefault(l => l.Name == name);

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Log.Add(request);
        var (exit, stdout, stderr) = Execute(request);
        return Task.FromResult(new CommandResult(request, exit, stdout, stderr, TimeSpan.Zero, false));
    }

    private (int Exit, string Stdout, string Stderr) Execute(CommandRequest r)
    {
        var a = r.Arguments;
        switch (r.FileName)
        {
            case "ip":
                return Ip(a, r.Stdin);
            case "sysctl" when a is ["-q", "-w", var assignment] && assignment.Split('=', 2) is [var key, var value] && Sysctls.ContainsKey(key):
                Sysctls[key] = value;
                return (0, "", "");
            case "wg" when a is ["syncconf", var dev, "/dev/stdin"]:
                return Guard(() => { SyncConf(dev, r.Stdin ?? ""); return ""; }, exit: 1);
            case "wg" when a is ["show", var dev, "dump"]:
                return Guard(() => WgDump(dev), exit: 1);
            case var f when f == UserspaceCommand && a is [var dev]:
                return Guard(() => { CreateLink(dev, "tun"); return ""; }, exit: 1);
            case var f when f.EndsWith("-save", StringComparison.Ordinal) && a.Count == 0:
                return (0, Netfilter(f.StartsWith("ip6", StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4).Save(f), "");
            case var f when f.EndsWith("-restore", StringComparison.Ordinal) && a.Contains("--noflush"):
                var error = Netfilter(f.StartsWith("ip6", StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4).Restore(r.Stdin ?? "");
                return error is null ? (0, "", "") : (2, "", error + "\n");
            default:
                throw new NotSupportedException($"fake kernel: unmodelled command: {r.CommandLine}");
        }
    }

    private (int Exit, string Stdout, string Stderr) Ip(IReadOnlyList<string> a, string? stdin)
    {
        switch (a)
        {
            case ["-batch", "-"]: return Batch(IpFamily.V4, stdin ?? "");
            case ["-6", "-batch", "-"]: return Batch(IpFamily.V6, stdin ?? "");
            case ["-j", "-d", "addr", "show"]: return (0, AddrJson(), "");
            case [var f, "-N", "-j", "route", "show", "table", "all", "proto", "188"]: return (0, RouteJson(FamilyFlag(f)), "");
            case [var f, "-N", "-j", "rule", "show"]: return (0, RuleJson(FamilyFlag(f)), "");
            case ["xfrm", "state", "list"]: return (0, XfrmStateText(), "");
            case ["xfrm", "policy", "list"]: return (0, XfrmPolicyText(), "");
            case ["link", "add", "dev", var dev, "type", "wireguard"]: return Guard(() => { CreateLink(dev, "wireguard"); return ""; }, exit: 2);
            case ["link", "del", "dev", var dev]: return Guard(() => { DeleteLink(dev); return ""; }, exit: 1);
            default: throw new NotSupportedException($"fake kernel: unmodelled ip command: ip {string.Join(' ', a)}");
        }
    }

    private static IpFamily FamilyFlag(string flag) => flag switch
    {
        "-4" => IpFamily.V4,
        "-6" => IpFamily.V6,
        _ => throw new NotSupportedException($"fake kernel: family flag {flag}"),
    };

    /// <summary>`ip -batch -`: lines run in order; the first failure stops it and names its line, the earlier lines stay done.</summary>
    private (int Exit, string Stdout, string Stderr) Batch(IpFamily family, string stdin)
    {
        var lines = stdin.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                BatchLine(family, Words(lines[i]));
            }
            catch (KernelError e)
            {
                return (1, "", $"{e.Message}\nCommand failed -:{i + 1}\n");
            }
        }
        return (0, "", "");
    }

    private static (int Exit, string Stdout, string Stderr) Guard(Func<string> action, int exit)
    {
        try
        {
            return (0, action(), "");
        }
        catch (KernelError e)
        {
            return (exit, "", e.Message + "\n");
        }
    }

    /// <summary>Splits a batch line like iproute2's makeargs: blanks separate words, single or double quotes group them.</summary>
    internal static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null; else current.Append(c);
                continue;
            }
            if (c is '\'' or '"') { quote = c; any = true; continue; }
            if (c is ' ' or '\t')
            {
                if (any) { words.Add(current.ToString()); current.Clear(); any = false; }
                continue;
            }
            current.Append(c);
            any = true;
        }
        if (quote is not null) throw new KernelError("Error: unterminated quote.");
        if (any) words.Add(current.ToString());
        return words;
    }

    [DebuggerStepThrough]
    private FakeLink Device(string name) => Link(name) ?? throw new KernelError($"Cannot find device \"{name}\"");
}
