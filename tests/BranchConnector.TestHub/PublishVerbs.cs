using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace BranchConnector.TestHub;

/// <summary>publish-batch, publish-peering, lifecycle: publish, then (unless --no-wait) wait for the agent's answer.</summary>
public static class PublishVerbs
{
    public static Task<int> BatchAsync(CliArgs args) => PublishDocumentAsync(args, "batch");

    public static Task<int> PeeringAsync(CliArgs args) => PublishDocumentAsync(args, "e2e-peering");

    private static async Task<int> PublishDocumentAsync(CliArgs args, string kind)
    {
        var serial = args.Required("serial");
        var file = args.Required("file");
        // --raw: the file is the whole document, sent as it is (a bad hash, a missing field: the demo's bad batch).
        JsonObject doc = args.Flag("raw")
            ? (JsonObject)JsonNode.Parse(File.ReadAllText(file))!
            : kind == "batch" ? Documents.Batch(file, args.Long("sequence")) : Documents.Peering(file, args.Long("sequence"));
        long? sequence = doc["sequence"] is JsonValue v && v.TryGetValue<long>(out var s) ? s : null;

        await using var session = await HubSession.StartAsync(args);
        var confirmTask = session.WaitConfirmAsync(serial, sequence, kind, args.Seconds("timeout", 30));
        var clock = Stopwatch.StartNew();
        await session.Hub.PublishAsync($"{session.South}/{serial}/{kind}", doc.ToJsonString());
        if (args.Flag("no-wait")) return 0;
        JsonObject confirm;
        try
        {
            confirm = await confirmTask;
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"no {kind} confirm for sequence {sequence} from {serial} within {args.Seconds("timeout", 30).TotalSeconds} s");
            return 1;
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var success = confirm["success"]?.GetValue<bool>() == true;
        if (args.Flag("json"))
            Console.WriteLine(new JsonObject
            {
                ["elapsed_ms"] = Math.Round(elapsed, 1), ["success"] = success, ["duration_ms"] = confirm["duration_ms"]?.DeepClone(),
                ["changes"] = confirm["changes"]?.DeepClone(), ["error"] = confirm["error"]?.DeepClone(),
            }.ToJsonString());
        else
            Console.WriteLine($"{Readable.Confirm(confirm)} (hub saw the confirm {elapsed.ToString("F0", CultureInfo.InvariantCulture)} ms after publishing)");
        var expectFailure = args.Get("expect", "success") == "failure";
        return success != expectFailure ? 0 : 1;
    }

    /// <summary>Not a retained State from before the command (sent_at within the last few seconds).</summary>
    private static bool Fresh(JsonObject state) =>
        DateTimeOffset.TryParse(state["sent_at"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
        && at > DateTimeOffset.UtcNow.AddSeconds(-5);

    public static async Task<int> LifecycleAsync(CliArgs args)
    {
        var action = args.Positional.FirstOrDefault() ?? throw new UsageException("lifecycle needs an action: approve | decommission | rotate_keys");
        if (action is not ("approve" or "decommission" or "rotate_keys")) throw new UsageException($"unknown lifecycle action '{action}'");
        var serial = args.Required("serial");
        var wanted = args.Optional("wait-state");
        await using var session = await HubSession.StartAsync(args);
        // Subscribed before publishing: a decommissioned agent says so once, then its retained State turns into the last will.
        var stateTask = wanted is null ? null
            : session.WaitAsync(serial, "state", o => o["state"]?.ToString() == wanted && o["sent_at"] is not null && Fresh(o), args.Seconds("timeout", 30));
        await session.Hub.PublishLifecycleAsync(serial, action, session.South, args.Get("reason", "testhub"));
        Console.WriteLine($"lifecycle {action} published to {serial} (retained)");
        if (stateTask is null) return 0;
        try
        {
            await stateTask;
            Console.WriteLine($"{serial} is {wanted}");
            return 0;
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"{serial} did not report state {wanted} within {args.Seconds("timeout", 30).TotalSeconds} s");
            return 1;
        }
    }
}
