namespace BranchConnector.Agent.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    /// <summary>EX_CONFIG from sysexits.h: a setting in agent.yaml is missing or wrong.</summary>
    public const int Config = 78;
    /// <summary>The connector was decommissioned: `run` refuses for good (systemd's RestartPreventExitStatus names it).</summary>
    public const int Decommissioned = 6;
}
