using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Turns SIGTERM and SIGINT into a cancellation, replacing the runtime's default (immediate exit), so the
/// daemon stops in order and exits 0. Create it before announcing READY=1.
/// </summary>
public sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _received = new();
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration _sigint;

    public TerminationSignal()
    {
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled when the first SIGTERM or SIGINT arrives.</summary>
    public CancellationToken Token => _received.Token;

    /// <summary>The signal that arrived first, if any.</summary>
    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received ??= context.Signal;
        _received.Cancel();
    }

    public void Dispose()
    {
        _sigterm.Dispose();
        _sigint.Dispose();
        _received.Dispose();
    }
}
