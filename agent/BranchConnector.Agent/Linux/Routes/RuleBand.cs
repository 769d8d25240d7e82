namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// The policy-rule priorities the agent owns. Like wg-quick's 32764/32765 just below main's 32766, but a
/// band of our own well clear of them and of the usual administrator picks, so both can coexist.
/// Rules at these priorities are the agent's; rules at any other priority are never touched.
/// </summary>
public static class RuleBand
{
    public const int First = 5180;
    public const int Last = 5189;

    /// <summary>Full tunnel: `table main suppress_prefixlength 0` (keeps every non-default main route).</summary>
    public const int FullTunnelSuppress = 5180;

    /// <summary>Full tunnel: `not fwmark M table T` (everything not sent by the tunnel itself goes to T).</summary>
    public const int FullTunnelFwmark = 5181;

    public static bool Contains(int priority) => priority is >= First and <= Last;
}
