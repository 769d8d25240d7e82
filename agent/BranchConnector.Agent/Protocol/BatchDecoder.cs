using System.Text.Json;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;

namespace BranchConnector.Agent.Protocol;

/// <summary>
/// Decodes and validates a `{S}/{serial}/batch` message completely before anything is applied: envelope,
/// hash, command list, and every field of every topic body. All problems are collected, each with its code
/// and JSON path; the batch is valid only when there are none.
/// </summary>
public static class BatchDecoder
{
    public static readonly IReadOnlyList<string> Topics = [.. BatchTopics.All.Select(t => t.Name)];

    public static BatchDecodeResult Decode(ReadOnlySpan<byte> payload)
    {
        var errors = new ErrorCollector();
        using var document = EnvelopeReader.Parse(payload, errors);
        if (document is null) return new BatchDecodeResult(null, errors.Errors.ToEquatableList(), null, null);

        var root = ObjectReader.From(document.RootElement, "", errors)!.Value;
        var envelope = EnvelopeReader.Read(root, "commands");
        var config = ReadCommands(root);

        var batch = errors.Count == 0 && config is not null
            ? new DecodedBatch(envelope.Sequence!.Value, envelope.ConfigHash!, envelope.IssuedAt, config)
            : null;
        return new BatchDecodeResult(batch, errors.Errors.ToEquatableList(), envelope.Sequence, envelope.ConfigHash);
    }

    private static DesiredConfig? ReadCommands(ObjectReader root)
    {
        var commands = root.Array("commands", required: true);
        if (!root.Has("commands")) return null;

        var config = DesiredConfig.Empty;
        var topics = new List<string>();
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var checks = new List<(Protocol.Topics.IBatchTopic Topic, ObjectReader Body)>();
        for (var i = 0; i < commands.Count; i++)
        {
            var (element, path) = commands[i];
            var topic = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("topic", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var errors = root.Errors.ForCommand(i, topic);
            var command = ObjectReader.From(element, path, errors);
            if (command is not { } c) continue;

            var index = c.Integer("index", true, long.MinValue, long.MaxValue);
            if (index is not null && index != i) errors.Invalid(c.PathOf("index"), $"index must be {i} (indexes run 0..n-1 in array order), not {index}");
            c.String("topic", required: true);
            if (topic is not null && !Topics.Contains(topic, StringComparer.Ordinal))
                errors.Add(ErrorCodes.UnsupportedTopic, c.PathOf("topic"), $"topic '{Printable.Clip(topic)}' is not supported (known: {string.Join(", ", Topics)})");
            else if (topic is not null && !firstSeen.TryAdd(topic, i))
                errors.Invalid(c.PathOf("topic"), $"topic '{topic}' appears twice (also commands[{firstSeen[topic]}])");

            var body = c.Object("body", required: true);
            if (body is not { } b) continue;
            NumberScan.ReportNonIntegers(b.Element, b.Path, errors);
            if (topic is null || firstSeen.GetValueOrDefault(topic, -1) != i) continue;
            topics.Add(topic);
            if (BatchTopics.Find(topic) is not { } known) continue;
            config = known.Read(config, b);
            checks.Add((known, b));
        }
        foreach (var (known, body) in checks) config = known.Check(config, body);
        return config with { Topics = topics.ToEquatableList() };
    }
}
