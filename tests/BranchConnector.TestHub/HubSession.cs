using System.Text.Json;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.TestHub;

/// <summary>
/// The fixtures' TestHub plus waiting on arrivals as events (no polling delay: the bench times publish → confirm).
/// Subscribed and ready before anything is published, so nothing the agent answers is missed.
/// </summary>
public sealed class HubSession : IAsyncDisposable
{
    private readonly List<(Func<string, JsonObject, bool> Match, TaskCompletionSource<JsonObject> Done)> _waiters = [];
    private Action<ObservedMessage>? _tap;

    private HubSession(CliArgs args) => Args = args;

    public CliArgs Args { get; }
    public IntegrationTests.Fixtures.TestHub Hub { get; private set; } = null!;
    public MosquittoBroker Broker { get; private set; } = null!;
    public string South => HubConnection.South(Args);
    public string North => HubConnection.North(Args);

    public static async Task<HubSession> StartAsync(CliArgs args, Action<ObservedMessage>? tap = null)
    {
        var session = new HubSession(args) { _tap = tap };
        session.Broker = HubConnection.Attach(args);
        session.Hub = await IntegrationTests.Fixtures.TestHub.StartAsync(session.Broker, session.OnMessage, session.North, HubConnection.User(args));
        return session;
    }

    /// <summary>The first message on {N}/{serial}/{kind} that matches, from now on (retained ones count too).</summary>
    public Task<JsonObject> WaitAsync(string serial, string kind, Func<JsonObject, bool> match, TimeSpan timeout, CancellationToken ct = default)
    {
        var topic = $"{North}/{serial}/{kind}";
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            var seen = Hub.Messages.Where(m => m.Topic == topic).Select(m => Parse(m.Payload)).FirstOrDefault(o => o is not null && match(o));
            if (seen is not null) return Task.FromResult(seen);
            _waiters.Add(((t, o) => t == topic && match(o), done));
        }
        return done.Task.WaitAsync(timeout, ct);
    }

    public Task<JsonObject> WaitConfirmAsync(string serial, long? sequence, string kind, TimeSpan timeout) =>
        WaitAsync(serial, kind == "e2e-peering" ? "e2e-peering/confirm" : "config/confirm",
            o => sequence is null ? o["sequence"] is null : o["sequence"]?.GetValue<long>() == sequence, timeout);

    private void OnMessage(ObservedMessage message)
    {
        _tap?.Invoke(message);
        var parsed = Parse(message.Payload);
        if (parsed is null) return;
        lock (_waiters)
        {
            foreach (var w in _waiters.Where(w => w.Match(message.Topic, parsed)).ToList())
            {
                _waiters.Remove(w);
                w.Done.TrySetResult(parsed);
            }
        }
    }

    public static JsonObject? Parse(string payload)
    {
        try { return JsonNode.Parse(payload) as JsonObject; }
        catch (JsonException) { return null; }
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
