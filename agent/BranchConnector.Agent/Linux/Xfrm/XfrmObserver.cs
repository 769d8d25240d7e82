using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>Reads the agent's xfrm states and policies with two read-only `ip` processes.</summary>
public sealed class XfrmObserver(ICommandRunner runner)
{
    public async Task<ObservedXfrm> ObserveAsync(CancellationToken ct)
    {
        var states = runner.RunAsync(XfrmStateParser.Request, ct);
        var policies = runner.RunAsync(XfrmPolicyParser.Request, ct);
        var stateResult = await states.ConfigureAwait(false);
        var policyResult = await policies.ConfigureAwait(false);
        if (!stateResult.Succeeded) throw new ObserveException(stateResult);
        if (!policyResult.Succeeded) throw new ObserveException(policyResult);
        return new ObservedXfrm(XfrmStateParser.Parse(stateResult.Stdout), XfrmPolicyParser.Parse(policyResult.Stdout));
    }
}
