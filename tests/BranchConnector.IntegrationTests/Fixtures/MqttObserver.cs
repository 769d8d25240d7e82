using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>A message seen by <see cref="MqttObserver"/>.</summary>
public sealed record ObservedMessage(string Topic, string Payload, bool Retained);

/// <summary>
/// An independent subscriber (mosquitto_sub, not our binding) that collects messages, so tests check what the
/// broker really delivered. Ready only once it has seen its own probe message.
/// </summary>
public sealed class MqttObserver : IAsyncDisposable
{
    private readonly List<ObservedMessage> _messages = [];
    private readonly StringBuilder _stderr = new();
    private readonly Process _process;
    private readonly string _probeTopic;
    private readonly Action<ObservedMessage>? _onMessage;

    private MqttObserver(Process process, string probeTopic, Action<ObservedMessage>? onMessage)
    {
        _process = process;
        _probeTopic = probeTopic;
        _onMessage = onMessage;
    }

    public IReadOnlyList<ObservedMessage> Messages
    {
        get { lock (_messages) return _messages.Where(m => m.Topic != _probeTopic).ToArray(); }
    }

    /// <summary>
    /// How long mosquitto_sub may take to receive its own probe: 10 s, or BC_MQTT_READY_TIMEOUT_S (the VM lane runs
    /// the test hub under qemu TCG, where starting a client and publishing a probe takes several seconds each).
    /// </summary>
    private static TimeSpan ReadyLimit =>
        int.TryParse(Environment.GetEnvironmentVariable("BC_MQTT_READY_TIMEOUT_S"), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(10);

    private int _disposed;

    public static Task<MqttObserver> StartAsync(MosquittoBroker broker, string user, params string[] filters) =>
        StartAsync(broker, user, null, filters);

    /// <summary><paramref name="onMessage"/> sees each message (not the probe) as it arrives, on the reader thread.</summary>
    public static async Task<MqttObserver> StartAsync(MosquittoBroker broker, string user, Action<ObservedMessage>? onMessage, params string[] filters)
    {
        var probe = $"probe/{Guid.NewGuid():N}";
        var psi = broker.StartInfo("mosquitto_sub");
        foreach (var arg in new[] { "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-V", "mqttv5", "-q", "1", "-i", "obs-" + Guid.NewGuid().ToString("N")[..8], "-F", "%j", "-t", probe })
            psi.ArgumentList.Add(arg);
        foreach (var filter in filters)
        {
            psi.ArgumentList.Add("-t");
            psi.ArgumentList.Add(filter);
        }
        foreach (var arg in broker.ClientArguments(user)) psi.ArgumentList.Add(arg);

        var process = new Process { StartInfo = psi };
        var observer = new MqttObserver(process, probe, onMessage);
        process.OutputDataReceived += (_, e) => observer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (observer._stderr) observer._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Stopwatch.StartNew();
        while (started.Elapsed < ReadyLimit)
        {
            await broker.PublishAsync(user, probe, "probe"u8.ToArray(), qos: 0);
            lock (observer._messages)
                if (observer._messages.Any(m => m.Topic == probe)) return observer;
            if (process.HasExited) break;
            await Task.Delay(200);
        }
        await observer.DisposeAsync();
        throw new TimeoutException($"mosquitto_sub did not become ready: {observer._stderr}");
    }

    public async Task<ObservedMessage> WaitForAsync(Func<ObservedMessage, bool> predicate, TimeSpan timeout, string what)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            var hit = Messages.FirstOrDefault(predicate);
            if (hit is not null) return hit;
            await Task.Delay(50);
        }
        throw new TimeoutException($"observer did not see {what} within {timeout}; saw: {string.Join(" | ", Messages.Select(m => m.Topic + " " + m.Payload))}");
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a fixture that replaced its observer (SmallBox.RestartHubAsync) may dispose the old one again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var payload = root.TryGetProperty("payload", out var p) ? p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetRawText() : "";
        var retained = root.TryGetProperty("retain", out var r) && (r.ValueKind == JsonValueKind.True || (r.ValueKind == JsonValueKind.Number && r.GetInt32() != 0));
        var message = new ObservedMessage(root.GetProperty("topic").GetString()!, payload, retained);
        lock (_messages) _messages.Add(message);
        if (message.Topic != _probeTopic) _onMessage?.Invoke(message);
    }
}
