using System.Text.Json;

namespace BranchConnector.Agent.Status;

/// <summary>Reads and writes the status messages; compact (one line each) on the socket, indented for people.</summary>
public static class StatusJson
{
    private static readonly StatusJsonContext Indented = new(new JsonSerializerOptions(StatusJsonContext.Default.Options) { WriteIndented = true });

    public static string Line(StatusRequest request) => JsonSerializer.Serialize(request, StatusJsonContext.Default.StatusRequest);
    public static string Line(StatusReply reply) => JsonSerializer.Serialize(reply, StatusJsonContext.Default.StatusReply);
    public static byte[] Bytes(StatusSnapshot snapshot) => JsonSerializer.SerializeToUtf8Bytes(snapshot, StatusJsonContext.Default.StatusSnapshot);
    public static string Pretty(StatusSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Indented.StatusSnapshot);

    /// <summary>Null when the text is not a request object.</summary>
    public static StatusRequest? ParseRequest(string line) => TryParse(line, StatusJsonContext.Default.StatusRequest);
    public static StatusReply? ParseReply(string line) => TryParse(line, StatusJsonContext.Default.StatusReply);
    public static StatusSnapshot? ParseSnapshot(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, StatusJsonContext.Default.StatusSnapshot);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? TryParse<T>(string text, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(text, info);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
