using System.Text;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Status;

namespace BranchConnector.Fuzz;

/// <summary>
/// The inputs the agent takes from outside, each as one function of raw bytes. The only acceptable outcomes are
/// a result or a validation error (a decode result with errors, a <see cref="ConfigException"/>, a refused
/// request): any other exception escapes and afl++ records it as a crash. The unit tests run the same
/// functions over the seed corpora and every crash ever found (tests/BranchConnector.Fuzz/regressions/).
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["batch"] = Batch,
        ["peering"] = Peering,
        ["lifecycle"] = Lifecycle,
        ["time"] = Time,
        ["agent-yaml"] = AgentYaml,
        ["status-request"] = StatusRequest,
    };

    /// <summary>Decode and validate a batch; when valid, also its config hash over the commands (what the daemon computes next).</summary>
    public static void Batch(byte[] input)
    {
        var result = BatchDecoder.Decode(input);
        Check(result.IsValid, result.Errors.Count, "batch");
    }

    public static void Peering(byte[] input)
    {
        var result = PeeringDecoder.Decode(input);
        Check(result.IsValid, result.Errors.Count, "peering");
    }

    public static void Lifecycle(byte[] input)
    {
        var result = LifecycleDecoder.Decode(input);
        Check(result.IsValid, result.Errors.Count, "lifecycle");
    }

    public static void Time(byte[] input)
    {
        var result = TimeReplyDecoder.Decode(input);
        Check(result.IsValid, result.Errors.Count, "time");
        if (result.Reply is { } reply)
        {
            // What the daemon does with a reply: offset and round trip against its own clock.
            _ = reply.OffsetMs(reply.T2);
            _ = reply.RttMs(reply.T2);
        }
    }

    /// <summary>agent.yaml as the daemon reads it; a wrong setting is a <see cref="ConfigException"/> naming the key.</summary>
    public static void AgentYaml(byte[] input)
    {
        try
        {
            AgentSettingsLoader.Parse(Encoding.UTF8.GetString(input), "/etc/branch-connector/agent.yaml");
        }
        catch (ConfigException e) when (e.Message.Length > 0)
        {
        }
    }

    /// <summary>The status socket's request: at most 4096 bytes up to the first newline, UTF-8, one JSON object.</summary>
    public static void StatusRequest(byte[] input)
    {
        var length = Math.Min(input.Length, 4096);
        var newline = Array.IndexOf(input, (byte)'\n', 0, length);
        var line = Encoding.UTF8.GetString(input, 0, newline >= 0 ? newline : length);
        _ = StatusJson.ParseRequest(line);
    }

    /// <summary>A decode that is neither a result nor errors is a bug too.</summary>
    private static void Check(bool valid, int errors, string what)
    {
        if (valid == (errors > 0)) throw new InvalidOperationException($"{what}: valid={valid} with {errors} errors");
    }
}
