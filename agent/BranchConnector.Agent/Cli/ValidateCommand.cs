using System.CommandLine;
using System.Text.Json;
using BranchConnector.Agent.Protocol;

namespace BranchConnector.Agent.Cli;

/// <summary>`branch-connector validate FILE`: checks a batch or e2e-peering document offline, with the agent's own decoder.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A batch (has \"commands\") or e2e-peering (has \"groups\") JSON document." };
        var command = new Command("validate", "Check a batch or peering document; print every error with its JSON path.") { file };
        command.SetAction(parseResult => Run(parseResult.GetValue(file)!, Console.Out));
        return command;
    }

    public static int Run(FileInfo file, TextWriter output)
    {
        byte[] payload;
        try
        {
            payload = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"cannot read {file.FullName}: {e.Message}");
            return ExitCodes.Failure;
        }
        return Validate(payload, output);
    }

    public static int Validate(byte[] payload, TextWriter output)
    {
        if (IsPeering(payload))
        {
            var peering = PeeringDecoder.Decode(payload);
            if (peering.Peering is { } p)
            {
                output.WriteLine($"valid e2e-peering: sequence {p.Sequence}, {p.Peering.WireGuardGroups.Count + p.Peering.IpsecGroups.Count} groups");
                return ExitCodes.Ok;
            }
            return Report(peering.Errors, output);
        }
        var batch = BatchDecoder.Decode(payload);
        if (batch.Batch is { } b)
        {
            output.WriteLine($"valid batch: sequence {b.Sequence}, {b.Config.Topics.Count} commands");
            return ExitCodes.Ok;
        }
        return Report(batch.Errors, output);
    }

    private static int Report(IEnumerable<ValidationError> errors, TextWriter output)
    {
        foreach (var error in errors) output.WriteLine(error.ToString());
        return ExitCodes.Failure;
    }

    /// <summary>A document with `groups` and no `commands` is peering; anything else is decoded (and reported) as a batch.</summary>
    private static bool IsPeering(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("groups", out _)
                && !document.RootElement.TryGetProperty("commands", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
