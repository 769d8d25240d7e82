using System.Text.Json.Nodes;

namespace BranchConnector.TestHub;

/// <summary>Verbs that wait for one thing the agent publishes; exit 1 (with what was seen) if it does not come.</summary>
public static class WaitVerbs
{
    public static async Task<int> ConfirmAsync(CliArgs args)
    {
        var serial = args.Required("serial");
        await using var session = await HubSession.StartAsync(args);
        return await ReportAsync(session.WaitConfirmAsync(serial, args.Long("sequence"), args.Get("kind", "batch"), args.Seconds("timeout", 30)),
            Readable.Confirm, "confirm", o => o["success"]?.GetValue<bool>() == true);
    }

    /// <summary>Register is retained: prints the key named by --key alone (for scripts), or the whole line.</summary>
    public static async Task<int> RegisterAsync(CliArgs args)
    {
        var serial = args.Required("serial");
        var key = args.Optional("key");
        await using var session = await HubSession.StartAsync(args);
        return await ReportAsync(session.WaitAsync(serial, "register", o => o["public_keys"] is JsonObject, args.Seconds("timeout", 30)),
            o => key is null ? Readable.Line($"{session.North}/{serial}/register", o.ToJsonString()) : o["public_keys"]?[key]?.ToString() ?? "", "register",
            o => key is null || o["public_keys"]?[key] is not null);
    }

    public static async Task<int> StateAsync(CliArgs args)
    {
        var serial = args.Required("serial");
        var wanted = args.Required("state");
        await using var session = await HubSession.StartAsync(args);
        return await ReportAsync(session.WaitAsync(serial, "state", o => o["state"]?.ToString() == wanted, args.Seconds("timeout", 30)),
            o => $"{serial} is {o["state"]}", $"state {wanted}", _ => true);
    }

    /// <summary>The next TunnelStatus (or the first one in which --peer has --path), one readable line; --json: the payload.</summary>
    public static async Task<int> TunnelStatusAsync(CliArgs args)
    {
        var serial = args.Required("serial");
        var peer = args.Optional("peer");
        var path = args.Optional("path");
        JsonObject? last = null;
        bool Match(JsonObject o)
        {
            last = o;
            if (peer is null || path is null) return true;
            return (o["tunnels"] as JsonArray ?? []).OfType<JsonObject>()
                .SelectMany(t => t["peers"] as JsonArray ?? []).OfType<JsonObject>()
                .Any(p => p["serial"]?.ToString() == peer && p["path"]?.ToString() == path);
        }
        await using var session = await HubSession.StartAsync(args);
        var code = await ReportAsync(session.WaitAsync(serial, "tunnel/status", Match, args.Seconds("timeout", 75)),
            o => args.Flag("json") ? o.ToJsonString() : Readable.Tunnels(o), peer is null ? "tunnel status" : $"path {path} to {peer}", _ => true);
        if (code != 0 && last is not null) Console.Error.WriteLine("last tunnel status: " + Readable.Tunnels(last));
        return code;
    }

    private static async Task<int> ReportAsync(Task<JsonObject> wait, Func<JsonObject, string> show, string what, Func<JsonObject, bool> good)
    {
        try
        {
            var o = await wait;
            Console.WriteLine(show(o));
            return good(o) ? 0 : 1;
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"timed out waiting for {what}");
            return 1;
        }
    }
}
