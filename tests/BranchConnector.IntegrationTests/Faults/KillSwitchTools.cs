using System.Globalization;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// How to crash the agent at an exact point of an apply without a test hook in the product: the agent finds
/// its tools on PATH, so it runs with a PATH whose `ip`, `wg`, `wireguard-go` and `ip(6)tables-nft-restore`
/// are small wrappers around the real tools. Each wrapper counts the mutating calls (an `ip -batch`, `ip link
/// add|del|set`, `wg set|setconf|syncconf|addconf`, every restore, starting wireguard-go) while armed, and at
/// call k SIGKILLs its parent, the agent: either right after the real tool finished (<see cref="KillMode.After"/>)
/// or while it runs with only the first half of its stdin (<see cref="KillMode.During"/>: the agent died while
/// writing the batch, the tool applies what it got). Read-only calls (show, save, dump, genkey) pass through.
/// </summary>
public sealed class KillSwitchTools : IDisposable
{
    public enum KillMode { After, During }

    private static readonly string[] Tools = ["ip", "wg", "wireguard-go", "iptables-nft-restore", "ip6tables-nft-restore"];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bc-killswitch-").FullName;
    private string Control(string name) => Path.Combine(Directory, name);

    public static async Task<KillSwitchTools> CreateAsync()
    {
        var tools = new KillSwitchTools();
        foreach (var tool in Tools)
        {
            var real = (await Sh.OkAsync("sh", "-c", $"command -v {tool}")).Trim();
            var path = Path.Combine(tools.Directory, tool);
            await File.WriteAllTextAsync(path, Script(real, tools.Directory));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        tools.Disarm();
        return tools;
    }

    /// <summary>PATH for the agent: the wrappers first, then the usual places.</summary>
    public string SearchPath => $"{Directory}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>From now on count mutating calls from zero; kill the agent at call <paramref name="k"/> (0: never).</summary>
    public void Arm(int k, KillMode mode)
    {
        File.WriteAllText(Control("count"), "0");
        File.WriteAllText(Control("log"), "");
        File.WriteAllText(Control("mode"), mode == KillMode.During ? "during" : "after");
        File.WriteAllText(Control("kill-at"), k.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Control("armed"), "1");
    }

    public void Disarm() => File.WriteAllText(Control("armed"), "0");

    /// <summary>Mutating calls seen since <see cref="Arm"/>.</summary>
    public int Count => int.Parse(File.ReadAllText(Control("count")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>One line per counted call: its number and command line (stdin is not logged: it may hold keys).</summary>
    public string Log => File.ReadAllText(Control("log"));

    /// <summary>Whether a logged call reads its input from stdin (only those can be cut in half).</summary>
    public static bool ReadsStdin(string logLine) =>
        logLine.Contains(" -batch ", StringComparison.Ordinal) || logLine.EndsWith(" -batch", StringComparison.Ordinal)
        || logLine.Contains("/dev/stdin", StringComparison.Ordinal) || logLine.Split(' ')[1].EndsWith("-restore", StringComparison.Ordinal);

    private static string Script(string real, string dir) => $$"""
        #!/bin/bash
        # Test wrapper (KillSwitchTools): counts mutating calls and kills the agent at call k.
        real='{{real}}'
        dir='{{dir}}'
        tool=${0##*/}
        mutating=0
        case "$tool" in
          ip)
            args=" $* "
            case "$args" in
              *" -batch "*|*" link add "*|*" link del "*|*" link delete "*|*" link set "*) mutating=1 ;;
              *" netns "*) mutating=0 ;;
              *" add "*|*" del "*|*" delete "*|*" replace "*|*" change "*|*" flush "*) mutating=1 ;;
            esac ;;
          wg)
            case "$1" in set|setconf|syncconf|addconf) mutating=1 ;; esac ;;
          *) mutating=1 ;;
        esac
        if [[ $mutating == 0 || $(cat "$dir/armed") != 1 ]]; then exec "$real" "$@"; fi
        exec 9>"$dir/lock"
        flock 9
        n=$(( $(cat "$dir/count") + 1 ))
        echo "$n" > "$dir/count"
        echo "$n $tool $*" >> "$dir/log"
        flock -u 9
        k=$(cat "$dir/kill-at")
        if [[ $n != "$k" ]]; then exec "$real" "$@"; fi
        agent=$PPID
        stdin_tool=0
        case " $* " in *" -batch "*|*" /dev/stdin "*) stdin_tool=1 ;; esac
        [[ $tool == *-restore ]] && stdin_tool=1
        if [[ $(cat "$dir/mode") == during && $stdin_tool == 1 ]]; then
          input=$(cat)
          lines=$(printf '%s\n' "$input" | wc -l)
          printf '%s\n' "$input" | head -n $(( lines / 2 )) | "$real" "$@"
          kill -KILL "$agent"
          exit 1
        fi
        "$real" "$@"
        status=$?
        kill -KILL "$agent"
        exit $status
        """;

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
