namespace BranchConnector.Agent.Tools;

/// <summary>
/// What a child process must not inherit. systemd accepts notifications only from the main PID
/// (NotifyAccess=main); a child that inherits NOTIFY_SOCKET (wireguard-go, say, or a library it links) and
/// writes to it makes the journal log "reception only permitted for main PID". sd_notify's
/// unset_environment drops the same three variables. <see cref="ProcessCommandRunner"/> removes them from
/// every child's environment.
/// </summary>
public static class ChildEnvironment
{
    public static readonly IReadOnlyList<string> Withheld = ["NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC"];
}
