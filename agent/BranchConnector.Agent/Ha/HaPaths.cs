namespace BranchConnector.Agent.Ha;

/// <summary>
/// Where the pair's files live. Everything keepalived reads or writes is in runtime_dir/ha (0700): it survives
/// an agent restart or upgrade (so keepalived is adopted, not restarted) and goes with a reboot, when keepalived
/// goes too. Only the drain flag is in state_dir: a drained box stays drained across reboots (spec: lifecycle).
/// </summary>
public sealed record HaPaths(string Directory, string DrainFlag)
{
    public static HaPaths From(string runtimeDir, string stateDir) => new(Path.Combine(runtimeDir, "ha"), Path.Combine(stateDir, "ha-drained"));

    public string Config => Path.Combine(Directory, "keepalived.conf");
    public string MainPid => Path.Combine(Directory, "keepalived.pid");
    public string VrrpPid => Path.Combine(Directory, "vrrp.pid");
    public string Fifo => Path.Combine(Directory, "notify.fifo");
    /// <summary>keepalived track_file: "1" while the backbone is down (the instance goes FAULT).</summary>
    public string BackboneTrack => Path.Combine(Directory, "backbone-down");
    /// <summary>keepalived track_file: "1" while drained.</summary>
    public string DrainTrack => Path.Combine(Directory, "drained");
    /// <summary>The virtual addresses the running keepalived may hold, "dev address" a line: released if it dies.</summary>
    public string Addresses => Path.Combine(Directory, "addresses");
    /// <summary>The last HaState, so a restarted agent reports the state it adopts instead of inventing one.</summary>
    public string LastState => Path.Combine(Directory, "state.json");
}
