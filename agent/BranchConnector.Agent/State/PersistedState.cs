using System.Text.Json;
using System.Text.Json.Serialization;
using BranchConnector.Agent.Lifecycle;

namespace BranchConnector.Agent.State;

/// <summary>The summary of the last applied documents and the lifecycle, persisted atomically in state_dir/agent-state.json.</summary>
public sealed record PersistedState
{
    [JsonPropertyName("lifecycle")] public string Lifecycle { get; init; } = LifecycleState.PendingApproval.ToWire();
    [JsonPropertyName("config")] public AppliedDocument? Config { get; init; }
    [JsonPropertyName("peering")] public AppliedDocument? Peering { get; init; }
    [JsonPropertyName("drift_repairs")] public long DriftRepairs { get; init; }

    [JsonIgnore] public LifecycleState LifecycleState => LifecycleStateNames.FromWire(Lifecycle) ?? LifecycleState.PendingApproval;
}

/// <summary>What was last applied (or last tried) for one document kind.</summary>
public sealed record AppliedDocument(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("config_hash")] string ConfigHash,
    [property: JsonPropertyName("applied_at")] DateTimeOffset? AppliedAt,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(PersistedState))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class PersistedStateJsonContext : JsonSerializerContext;

/// <summary>
/// The agent's files in state_dir: the lifecycle summary, and the raw last-known-good batch and peering
/// documents (re-decoded at start-up so the same validation runs on them as on a fresh message).
/// </summary>
public sealed class StateStore(string stateDir, PersistenceHealth? health = null)
{
    public string StateDir { get; } = stateDir;

    /// <summary>Saves never throw on a full or read-only disk: they record it here and return false.</summary>
    public PersistenceHealth Health { get; } = health ?? new PersistenceHealth();
    private string SummaryPath => Path.Combine(StateDir, "agent-state.json");
    public string BatchPath => Path.Combine(StateDir, "batch.json");
    public string PeeringPath => Path.Combine(StateDir, "peering.json");

    public async Task<PersistedState> LoadAsync(CancellationToken ct)
    {
        var bytes = await AtomicFile.ReadIfExistsAsync(SummaryPath, ct).ConfigureAwait(false);
        return bytes is null ? new PersistedState() : JsonSerializer.Deserialize(bytes, PersistedStateJsonContext.Default.PersistedState) ?? new PersistedState();
    }

    public Task<bool> SaveAsync(PersistedState state, CancellationToken ct) =>
        Health.TryAsync(Path.GetFileName(SummaryPath), () => AtomicFile.WriteAsync(SummaryPath, JsonSerializer.SerializeToUtf8Bytes(state, PersistedStateJsonContext.Default.PersistedState), ct));

    public Task<bool> SaveBatchAsync(ReadOnlyMemory<byte> payload, CancellationToken ct) =>
        Health.TryAsync(Path.GetFileName(BatchPath), () => AtomicFile.WriteAsync(BatchPath, payload, ct, keepBackup: true));

    public Task<bool> SavePeeringAsync(ReadOnlyMemory<byte> payload, CancellationToken ct) =>
        Health.TryAsync(Path.GetFileName(PeeringPath), () => AtomicFile.WriteAsync(PeeringPath, payload, ct, keepBackup: true));
    public Task<byte[]?> LoadBatchAsync(CancellationToken ct) => AtomicFile.ReadIfExistsAsync(BatchPath, ct);
    public Task<byte[]?> LoadPeeringAsync(CancellationToken ct) => AtomicFile.ReadIfExistsAsync(PeeringPath, ct);

    /// <summary>decommission: applied documents go; the summary stays, saying decommissioned, so `run` refuses.</summary>
    public void WipeDocuments()
    {
        AtomicFile.DeleteWithBackup(BatchPath);
        AtomicFile.DeleteWithBackup(PeeringPath);
    }
}
