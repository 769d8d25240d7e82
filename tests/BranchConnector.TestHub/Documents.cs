using System.Text.Json.Nodes;

namespace BranchConnector.TestHub;

/// <summary>
/// Turns a hand-written file into a batch or peering document. A batch file is an array of
/// `{ "topic", "body" }` (or an object with such a `commands` array); a peering file is an array of groups (or an
/// object with `groups`). The hub adds v, sequence, indices and config_hash, as the orchestrator does.
/// </summary>
public static class Documents
{
    public static JsonObject Batch(string file, long sequence)
    {
        var items = Array(Read(file), "commands");
        var commands = items.OfType<JsonObject>().Select(c => (c["topic"]!.GetValue<string>(), (JsonObject)c["body"]!.DeepClone())).ToArray();
        return IntegrationTests.Fixtures.TestHub.Batch(sequence, commands);
    }

    public static JsonObject Peering(string file, long sequence) =>
        IntegrationTests.Fixtures.TestHub.Peering(sequence, (JsonArray)Array(Read(file), "groups").DeepClone());

    private static JsonNode Read(string file) =>
        JsonNode.Parse(File.ReadAllText(file)) ?? throw new UsageException($"{file} is empty");

    private static JsonArray Array(JsonNode root, string key) => root switch
    {
        JsonArray a => a,
        JsonObject o when o[key] is JsonArray a => a,
        _ => throw new UsageException($"expected an array or an object with '{key}'"),
    };
}
