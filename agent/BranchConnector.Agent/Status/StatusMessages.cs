using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Status;

/// <summary>One request line on the status socket: `{"v":1,"request":"status","client_version":"0.1.0"}`.</summary>
public sealed record StatusRequest(int V, string Request, string? ClientVersion)
{
    public const int Version = 1;
    public const string Status = "status";
    public const string ReconcileNow = "reconcile";
}

/// <summary>One reply line: `ok` with the status (or the result of an action), or not `ok` with an error.</summary>
public sealed record StatusReply(
    int V,
    bool Ok,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusSnapshot? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public static StatusReply Failed(string error) => new(StatusRequest.Version, false, null, null, null, error);
}
