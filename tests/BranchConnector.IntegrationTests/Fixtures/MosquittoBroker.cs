using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>How a test broker is set up.</summary>
public sealed record MosquittoBrokerOptions
{
    /// <summary>user name → password; the broker refuses anonymous clients.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Non-null: the listener speaks TLS with these certificates.</summary>
    public TestCertificates? Tls { get; init; }

    public bool RequireClientCertificate { get; init; }

    /// <summary>Non-null: the broker runs inside this network namespace (a lab's hub), listening on <see cref="ListenAddress"/>.</summary>
    public string? Namespace { get; init; }

    public string ListenAddress { get; init; } = "127.0.0.1";
}

/// <summary>
/// A real mosquitto on a free 127.0.0.1 port with a generated config and password file in a temp folder.
/// Stop/Start keep the port, so clients can reconnect to "the same broker". DisposeAsync kills it and removes
/// the folder.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoBrokerOptions _options;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(MosquittoBrokerOptions options, string directory, int port)
    {
        _options = options;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }
    public string Host => _options.ListenAddress;
    public string? Namespace => _options.Namespace;
    public int Port { get; }
    public bool Tls => _options.Tls is not null;
    /// <summary>The running broker's process id (tests freeze it with SIGSTOP).</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;
    public Uri Url => new($"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}");
    public string ConfigFile => Path.Combine(Directory, "mosquitto.conf");

    /// <summary>Everything mosquitto logged so far (for failure messages).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null)
    {
        options ??= new MosquittoBrokerOptions();
        var dir = System.IO.Directory.CreateTempSubdirectory("bc-mosquitto-").FullName;
        var broker = new MosquittoBroker(options, dir, FreePort());
        try
        {
            await broker.WriteConfigAsync();
            await broker.StartAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A broker someone else runs (the demo's hub namespace): publishing and observing only, no process of its own.
    /// </summary>
    public static MosquittoBroker Attach(MosquittoBrokerOptions options, int port) =>
        new(options, System.IO.Directory.CreateTempSubdirectory("bc-mosquitto-").FullName, port);

    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("broker already running");
        // The log spans restarts: only this start's " running" line counts.
        var logMark = Log.Length;
        var psi = StartInfo("mosquitto", "-c", ConfigFile);
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited) throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}:\n{Log}");
            if (await CanConnectAsync(logMark)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"mosquitto did not listen on {Port}:\n{Log}");
    }

    /// <summary>Hard stop (SIGKILL): clients see their sockets die, as when a broker host fails.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null) return;
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Publishes with mosquitto_pub as the given user (payload through a file, never argv).</summary>
    public async Task PublishAsync(string user, string topic, ReadOnlyMemory<byte> payload, int qos = 1, bool retain = false)
    {
        var file = Path.Combine(Directory, $"payload-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, payload.ToArray());
        try
        {
            var args = new List<string> { "-h", Host, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5",
                "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-f", file, "-i", "pub-" + Guid.NewGuid().ToString("N")[..8] };
            if (retain) args.Add("-r");
            args.AddRange(ClientArguments(user));
            var pub = StartInfo("mosquitto_pub", [.. args]);
            await Sh.OkAsync(pub.FileName, [.. pub.ArgumentList]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Connection arguments for mosquitto_sub/mosquitto_pub (test passwords on argv are acceptable here).</summary>
    public IEnumerable<string> ClientArguments(string user)
    {
        yield return "-u";
        yield return user;
        yield return "-P";
        yield return _options.Users[user];
        if (_options.Tls is { } tls)
        {
            yield return "--cafile";
            yield return tls.CaFile;
            if (_options.RequireClientCertificate)
            {
                yield return "--cert";
                yield return tls.ClientCertFile;
                yield return "--key";
                yield return tls.ClientKeyFile;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private async Task WriteConfigAsync()
    {
        var passwords = Path.Combine(Directory, "passwd");
        // Plain "user:password" lines hashed in place by mosquitto_passwd -U: no password on an argument list.
        await File.WriteAllLinesAsync(passwords, _options.Users.Select(u => $"{u.Key}:{u.Value}"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwords, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_options.Users.Count > 0) await Sh.OkAsync("mosquitto_passwd", "-U", passwords);

        var conf = new StringBuilder()
            .AppendLine("user root")
            .AppendLine("persistence false")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("log_type information")
            .AppendLine("log_type subscribe")
            .AppendLine("per_listener_settings true")
            .AppendLine(System.FormattableString.Invariant($"listener {Port} {Host}"))
            .AppendLine("allow_anonymous false")
            .AppendLine($"password_file {passwords}");
        if (_options.Tls is { } tls)
        {
            conf.AppendLine($"cafile {tls.CaFile}")
                .AppendLine($"certfile {tls.ServerCertFile}")
                .AppendLine($"keyfile {tls.ServerKeyFile}")
                .AppendLine($"require_certificate {(_options.RequireClientCertificate ? "true" : "false")}");
        }
        await File.WriteAllTextAsync(ConfigFile, conf.ToString());
    }

    /// <summary>A client tool's start info, run inside the broker's namespace when it has one.</summary>
    public ProcessStartInfo StartInfo(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(Namespace is null ? tool : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Namespace is not null) foreach (var a in new[] { "netns", "exec", Namespace, tool }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private async Task<bool> CanConnectAsync(int logMark)
    {
        // Inside a namespace the test process cannot connect: mosquitto says "running" once its listeners are open.
        if (Namespace is not null) return Log[logMark..].Contains(" running", StringComparison.Ordinal);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(Host), Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
