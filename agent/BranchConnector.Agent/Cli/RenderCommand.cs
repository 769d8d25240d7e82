using System.CommandLine;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Cli;

/// <summary>
/// `branch-connector render FILE`: the commands a fresh apply of a batch (or peering document) would run on an
/// empty box, with secrets redacted. The same validator and planner as the daemon; nothing is changed.
/// </summary>
public static class RenderCommand
{
    private const string RedactedKey = "[redacted]";

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A batch or e2e-peering JSON document." };
        var command = new Command("render", "Print the commands a fresh apply of FILE would run (secrets redacted).") { file };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, Console.Out, ct));
        return command;
    }

    public static async Task<int> RunAsync(FileInfo file, TextWriter output, CancellationToken ct)
    {
        byte[] payload;
        try
        {
            payload = await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"cannot read {file.FullName}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var config = DesiredConfig.Empty;
        var peering = DesiredPeering.Empty;
        var batch = BatchDecoder.Decode(payload);
        if (batch.Batch is { } b) config = b.Config;
        else
        {
            var peer = PeeringDecoder.Decode(payload);
            if (peer.Peering is { } p) peering = p.Peering;
            else
            {
                var errors = payload.AsSpan().IndexOf("\"groups\""u8) >= 0 && payload.AsSpan().IndexOf("\"commands\""u8) < 0 ? peer.Errors : batch.Errors;
                foreach (var e in errors) await output.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }
        await output.WriteAsync(await RenderAsync(config, peering, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The plan for an empty box that has the links the interface topic names.</summary>
    public static async Task<string> RenderAsync(DesiredConfig config, DesiredPeering peering, CancellationToken ct)
    {
        var env = new OfflineIntentEnvironment(new Dictionary<string, string>());
        var intent = await IntentBuilder.BuildAsync(config, peering, env, ct).ConfigureAwait(false);
        var links = config.Interfaces.Select(i => new ObservedLink(i.Name, 0, 1500, true, null, [])).ToList();
        var observed = new ObservedState(links, new Dictionary<string, ObservedWgDevice>(), [], [], ObservedFirewall.Empty, ObservedXfrm.Empty);
        var context = new PlannerContext(WgImplementation.Kernel, "wireguard-go", OwnershipRecord.Empty, _ => new Secret(RedactedKey),
            DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(config.Monitoring.HandshakeTimeoutS),
            new FirewallSettings(true, FirewallBackendChoice.Auto), FirewallBackend.Nft);
        return PlanRenderer.Render(ReconcilePlanner.Plan(intent, observed, context));
    }
}
