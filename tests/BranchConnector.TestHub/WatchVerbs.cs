using System.Globalization;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.TestHub;

/// <summary>Long-running verbs: stop on SIGTERM/SIGINT or after --for seconds.</summary>
public static class WatchVerbs
{
    /// <summary>Every agent message, one readable line each, as it arrives.</summary>
    public static async Task<int> WatchAsync(CliArgs args)
    {
        void Print(ObservedMessage m) =>
            Console.WriteLine($"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {Readable.Line(m.Topic, m.Payload)}");
        await using var session = await HubSession.StartAsync(args, Print);
        Console.WriteLine($"watching {session.North}/# (Ctrl-C to stop)");
        await RunUntilStoppedAsync(args);
        return 0;
    }

    /// <summary>The hub's clock: answers each TimeRequest on {S}/{serial}/time with t0 echoed, t1 received, t2 sent.</summary>
    public static async Task<int> AnswerTimeAsync(CliArgs args)
    {
        HubSession? session = null;
        var pending = new List<Task>();
        void Answer(ObservedMessage m)
        {
            var t1 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var parts = m.Topic.Split('/');
            if (session is null || parts.Length != 4 || parts[2] != "time" || parts[3] != "request") return;
            if (HubSession.Parse(m.Payload)?["t0"] is not JsonValue t0) return;
            var reply = new JsonObject { ["v"] = 1, ["t0"] = t0.DeepClone(), ["t1"] = t1, ["t2"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
            lock (pending) pending.Add(session.Hub.PublishAsync($"{session.South}/{parts[1]}/time", reply.ToJsonString()));
            Console.WriteLine($"time reply to {parts[1]}");
        }
        session = await HubSession.StartAsync(args, Answer);
        await using (session)
        {
            await RunUntilStoppedAsync(args);
            Task[] all;
            lock (pending) all = [.. pending];
            await Task.WhenAll(all);
        }
        return 0;
    }

    /// <summary>The hub's half of a redundant pair (HaFollower), until stopped.</summary>
    public static async Task<int> HaFollowAsync(CliArgs args)
    {
        var subnets = args.Required("subnets").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using var follower = new HaFollower(args.Optional("wg-ns"), args.Required("wg-if"), subnets, HubConnection.North(args))
        {
            Moved = (move, moved) => Console.WriteLine($"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} ha: {moved} → {move.Serial}"),
        };
        await using var session = await HubSession.StartAsync(args, follower.OnMessage);
        Console.WriteLine($"following HaState on {session.North}/+/ha/state (Ctrl-C to stop)");
        await RunUntilStoppedAsync(args);
        foreach (var problem in follower.Log.Where(l => l.Contains(": ", StringComparison.Ordinal))) Console.Error.WriteLine(problem);
        return 0;
    }

    private static async Task RunUntilStoppedAsync(CliArgs args)
    {
        using var stop = new CancellationTokenSource();
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var intr = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        if (args.Optional("for") is not null) stop.CancelAfter(args.Seconds("for", 0));
        try { await Task.Delay(Timeout.Infinite, stop.Token); }
        catch (OperationCanceledException) { }
    }
}
