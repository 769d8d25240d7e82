using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Status;

namespace BranchConnector.Agent.Doctor;

/// <summary>What the checks are about: the settings, the persisted batch, and what the running daemon reports (if it runs).</summary>
public sealed record DoctorInputs(AgentSettings Settings, DesiredConfig Config, IReadOnlyList<string> PeeringInterfaces, StatusSnapshot? Daemon)
{
    public static async Task<DoctorInputs> LoadAsync(AgentSettings settings, CancellationToken ct)
    {
        var store = new StateStore(settings.StateDir);
        var config = DesiredConfig.Empty;
        var peeringInterfaces = new List<string>();
        try
        {
            if (await store.LoadBatchAsync(ct).ConfigureAwait(false) is { } batch && BatchDecoder.Decode(batch).Batch is { } b) config = b.Config;
            if (await store.LoadPeeringAsync(ct).ConfigureAwait(false) is { } peering && PeeringDecoder.Decode(peering).Peering is { } p
                && p.Peering.WireGuardInterface is { } wg)
                peeringInterfaces.Add(wg);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not root: the state folder is 0700. The checks that need the batch say they know nothing.
        }
        StatusSnapshot? daemon = null;
        try
        {
            var reply = await StatusClient.AskAsync(Path.Combine(settings.RuntimeDir, StatusServer.SocketFileName), StatusRequest.Status, ct).ConfigureAwait(false);
            daemon = reply.Status;
        }
        catch (StatusClientException)
        {
        }
        return new DoctorInputs(settings, config, peeringInterfaces, daemon);
    }

    public IReadOnlyList<string> TunnelInterfaces =>
        [.. Config.Backbone is { } b ? new[] { b.Interface } : [], .. PeeringInterfaces];
}
