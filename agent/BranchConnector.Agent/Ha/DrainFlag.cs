using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// `drain` survives restarts and reboots (spec: lifecycle): a file in state_dir holding the reason, present
/// while drained. `undrain` removes it; decommission wipes it with the rest of the state.
/// </summary>
public sealed class DrainFlag(string path)
{
    public bool IsSet => File.Exists(path);

    public Task SetAsync(string? reason, CancellationToken ct) => AtomicFile.WriteTextAsync(path, (reason ?? "") + "\n", ct);

    public void Clear()
    {
        try { File.Delete(path); } catch (DirectoryNotFoundException) { }
    }
}
