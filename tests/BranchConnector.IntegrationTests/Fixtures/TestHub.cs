using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BranchConnector.Agent.Protocol;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>
/// The orchestrator stand-in: publishes batches, peering documents and lifecycle commands (computing
/// config_hash the way the spec says) and watches everything the agents publish, through an independent
/// client (mosquitto_sub/mosquitto_pub).
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
    public const string User = "hub";
    private readonly MosquittoBroker _broker;
    private readonly MqttObserver _observer;
    private readonly string _user;

    private TestHub(MosquittoBroker broker, MqttObserver observer, string user)
    {
        _broker = broker;
        _observer = observer;
        _user = user;
    }

    public static Task<TestHub> StartAsync(MosquittoBroker broker, string northPrefix = "VSRE") =>
        StartAsync(broker, null, northPrefix);

    /// <summary>Also hands each message to <paramref name="onMessage"/> as it arrives (the testhub CLI's watch).</summary>
    public static async Task<TestHub> StartAsync(MosquittoBroker broker, Action<ObservedMessage>? onMessage, string northPrefix = "VSRE", string user = User) =>
        new(broker, await MqttObserver.StartAsync(broker, user, onMessage, $"{northPrefix}/#"), user);

    public IReadOnlyList<ObservedMessage> Messages => _observer.Messages;

    /// <summary>A batch document: commands in the given order, indices 0..n-1, hash of the JCS form.</summary>
    public static JsonObject Batch(long sequence, params (string Topic, JsonObject Body)[] commands)
    {
        var array = new JsonArray(commands.Select((c, i) => (JsonNode)new JsonObject { ["index"] = i, ["topic"] = c.Topic, ["body"] = c.Body }).ToArray());
        return new JsonObject
        {
            ["v"] = 1, ["sequence"] = sequence, ["config_hash"] = Hash(array),
            ["issued_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["commands"] = array,
        };
    }

    public static JsonObject Peering(long sequence, JsonArray groups) => new()
    {
        ["v"] = 1, ["sequence"] = sequence, ["config_hash"] = Hash(groups), ["groups"] = groups,
    };

    public static string Hash(JsonNode node)
    {
        using var doc = JsonDocument.Parse(node.ToJsonString());
        return ConfigHash.Compute(doc.RootElement);
    }

    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        _broker.PublishAsync(_user, topic, Encoding.UTF8.GetBytes(payload), qos: 1, retain: retain);

    public Task PublishBatchAsync(string serial, JsonObject batch, string southPrefix = "VSR") =>
        PublishAsync($"{southPrefix}/{serial}/batch", batch.ToJsonString());

    public Task PublishPeeringAsync(string serial, JsonObject peering, string southPrefix = "VSR") =>
        PublishAsync($"{southPrefix}/{serial}/e2e-peering", peering.ToJsonString());

    public Task PublishLifecycleAsync(string serial, string action, string southPrefix = "VSR", string reason = "test") =>
        PublishAsync($"{southPrefix}/{serial}/lifecycle",
            new JsonObject { ["v"] = 1, ["action"] = action, ["issued_at"] = DateTimeOffset.UtcNow.ToString("O"), ["reason"] = reason }.ToJsonString(), retain: true);

    /// <summary>How many messages have been seen so far: pass it as <c>after</c> to wait only for newer ones.</summary>
    public int Mark() => Messages.Count;

    /// <summary>The first message on the topic (after the first <paramref name="after"/> messages) that matches, parsed.</summary>
    public async Task<JsonObject> WaitForAsync(string topic, Func<JsonObject, bool> match, TimeSpan timeout, string what, int after = 0)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            var hit = Messages.Skip(after).Where(m => m.Topic == topic).Select(m => Parse(m.Payload)).FirstOrDefault(o => o is not null && match(o));
            if (hit is not null) return hit;
            await Task.Delay(50);
        }
        throw new TimeoutException($"did not see {what} within {timeout}; last on {topic}: {Messages.LastOrDefault(m => m.Topic == topic)?.Payload}");
    }

    /// <summary>The <paramref name="occurrence"/>-th confirm (1-based) for that sequence (null: a confirm without one).</summary>
    public async Task<JsonObject> WaitForConfirmAsync(string serial, long? sequence, TimeSpan? timeout = null, string kind = "config/confirm", int occurrence = 1)
    {
        var topic = $"VSRE/{serial}/{kind}";
        bool Match(JsonObject o) => sequence is null ? o["sequence"] is null : o["sequence"]?.GetValue<long>() == sequence;
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < limit)
        {
            var hits = Messages.Where(m => m.Topic == topic).Select(m => Parse(m.Payload)).Where(o => o is not null && Match(o)).ToList();
            if (hits.Count >= occurrence) return hits[occurrence - 1]!;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no confirm #{occurrence} for sequence {sequence} from {serial} within {limit}; saw: {string.Join(" | ", Messages.Where(m => m.Topic == topic).Select(m => m.Payload))}");
    }

    public int Count(string topic) => Messages.Count(m => m.Topic == topic);

    /// <summary>Answers every time/request of the serial with a clock <paramref name="offsetMs"/> ahead, until cancelled.</summary>
    public async Task AnswerTimeRequestsAsync(string serial, long offsetMs, CancellationToken ct)
    {
        var answered = 0;
        while (!ct.IsCancellationRequested)
        {
            var requests = Messages.Where(m => m.Topic == $"VSRE/{serial}/time/request").ToList();
            foreach (var request in requests.Skip(answered))
            {
                var t0 = Parse(request.Payload)?["t0"]?.GetValue<long>() ?? 0;
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + offsetMs;
                await PublishAsync($"VSR/{serial}/time", new JsonObject { ["v"] = 1, ["t0"] = t0, ["t1"] = now, ["t2"] = now }.ToJsonString());
            }
            answered = requests.Count;
            try { await Task.Delay(100, ct); } catch (OperationCanceledException) { return; }
        }
    }

    private static JsonObject? Parse(string payload)
    {
        try { return JsonNode.Parse(payload) as JsonObject; }
        catch (JsonException) { return null; }
    }

    public ValueTask DisposeAsync() => _observer.DisposeAsync();
}
