using BranchConnector.Agent.Hosting.Northbound;

namespace BranchConnector.Agent.Hosting.Inbound;

/// <summary>A lifecycle message as a work item, and what it asks of the reports (or of the daemon: stop).</summary>
public sealed class LifecycleMessages(WorkQueue work, LifecycleProcessor lifecycle, StateReport stateReport, RegisterReport register, Func<CancellationToken, Task> stop)
{
    public void OnMessage(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt) =>
        work.Enqueue("lifecycle", c => HandleAsync(payload, c));

    private async Task HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        switch (await lifecycle.HandleAsync(payload, ct).ConfigureAwait(false))
        {
            case LifecycleFollowUp.PublishState:
                await stateReport.PublishAsync(force: false, ct).ConfigureAwait(false);
                break;
            case LifecycleFollowUp.PublishRegister:
                await register.PublishAsync(ct).ConfigureAwait(false);
                break;
            case LifecycleFollowUp.Stop:
                await stop(ct).ConfigureAwait(false);
                break;
        }
    }
}
