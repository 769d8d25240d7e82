using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>
/// One real agent: the published binary run as `branch-connector run --config F` inside a namespace, with its
/// own agent.yaml, password file (0600) and state/runtime folders in a temp directory. Output is collected for
/// assertions and failure messages. DisposeAsync stops it (SIGKILL if it does not stop) and removes the folder.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Serial { get; }
    public string Namespace { get; }
    public string Directory { get; }
    public string ConfigFile => System.IO.Path.Combine(Directory, "agent.yaml");
    public string StateDir => System.IO.Path.Combine(Directory, "state");
    public string RuntimeDir => System.IO.Path.Combine(Directory, "run");
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;
    /// <summary>The running agent's pid (`ip netns exec` execs the binary, so it is the agent itself).</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;
    public string Output { get { lock (_output) return _output.ToString(); } }

    private AgentProcess(string serial, string ns, string directory)
    {
        Serial = serial;
        Namespace = ns;
        Directory = directory;
    }

    /// <summary>Writes the settings; <paramref name="broker"/> null: no broker at all (offline box).</summary>
    public static async Task<AgentProcess> CreateAsync(string ns, string serial, MosquittoBroker? broker, string password = "secret-" + "pw", string extraYaml = "", int driftCheckSeconds = 60)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("bc-agent-").FullName;
        var agent = new AgentProcess(serial, ns, dir);
        var passwordFile = System.IO.Path.Combine(dir, "token");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var yaml = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"serial: {serial}")
            .AppendLine("broker:")
            .AppendLine(CultureInfo.InvariantCulture, $"  urls: [ {(broker is null ? "" : $"\"{broker.Url}\"")} ]")
            .AppendLine(CultureInfo.InvariantCulture, $"  username: {serial}")
            .AppendLine(CultureInfo.InvariantCulture, $"  password_file: {passwordFile}")
            .AppendLine(CultureInfo.InvariantCulture, $"state_dir: {agent.StateDir}")
            .AppendLine(CultureInfo.InvariantCulture, $"runtime_dir: {agent.RuntimeDir}")
            .AppendLine(CultureInfo.InvariantCulture, $"drift_check_interval_s: {driftCheckSeconds}")
            .AppendLine("log: { level: debug }")
            .Append(extraYaml);
        await File.WriteAllTextAsync(agent.ConfigFile, yaml.ToString());
        return agent;
    }

    public void Start(params (string Name, string Value)[] environment)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("agent already running");
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Namespace, AgentBinary.Path, "run", "--config", ConfigFile }) psi.ArgumentList.Add(a);
        // Inherited systemd variables go first, so a test can still pass its own NOTIFY_SOCKET.
        psi.Environment.Remove("JOURNAL_STREAM");
        psi.Environment.Remove("NOTIFY_SOCKET");
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return Output;
            if (_process is { HasExited: true }) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"agent {Serial} did not log '{text}' within {timeout} (exit {ExitCode}):\n{Output}");
    }

    /// <summary>SIGTERM and wait; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (_process is not { } p) return -1;
        if (!p.HasExited) await Sh.RunAsync("kill", "-TERM", p.Id.ToString(CultureInfo.InvariantCulture));
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

    /// <summary>SIGKILL: a crash. The data plane (wireguard-go daemons) keeps running.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill();
        await p.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            try { await StopAsync(TimeSpan.FromSeconds(5)); }
            catch (OperationCanceledException) { p.Kill(); await p.WaitForExitAsync(); }
        }
        _process?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
