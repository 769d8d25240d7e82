using BranchConnector.Agent.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace BranchConnector.Tests.Hosting;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task Waiting_documents_are_superseded_by_a_newer_one_of_the_same_kind_and_the_newest_runs()
    {
        var queue = new WorkQueue(NullLogger<WorkQueue>.Instance, TimeProvider.System);
        var ran = new List<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var loop = queue.RunAsync(stop.Token);

        // The first document is being applied (held at the gate) while the others arrive.
        queue.EnqueueLatest("batch", 1, "batch", async _ => { await gate.Task; ran.Add("apply 1"); }, _ => Superseded(ran, 1));
        for (var i = 0; i < 100 && !queue.Busy; i++) await Task.Delay(10);
        foreach (var s in new long[] { 2, 3, 4 })
            queue.EnqueueLatest("batch", s, "batch", _ => Apply(ran, s), _ => Superseded(ran, s));
        queue.EnqueueLatest("peering", 9, "peering", _ => Apply(ran, 9), _ => Superseded(ran, 9));
        queue.EnqueueLatest("batch", null, "batch", _ => Apply(ran, -1), _ => Superseded(ran, -1));
        queue.EnqueueLatest("batch", 3, "batch", _ => Apply(ran, 33), _ => Superseded(ran, 33));
        queue.Enqueue("drift", _ => { ran.Add("drift"); return Task.CompletedTask; });
        gate.SetResult();

        for (var i = 0; i < 200 && ran.Count < 8; i++) await Task.Delay(10);
        await stop.CancelAsync();
        await loop;
        // 1 was already running; 2 and 3 gave way to 4; the unreadable one and the resent 3 (lower than 4 but
        // after it) are not superseded by anything newer that followed them; the peering kind is separate.
        Assert.Equal(["apply 1", "superseded 2", "superseded 3", "apply 4", "apply 9", "apply -1", "apply 33", "drift"], ran);
        Assert.Equal(4, queue.NewestWaiting("batch"));
    }

    private static Task Apply(List<string> ran, long s)
    {
        ran.Add($"apply {s}");
        return Task.CompletedTask;
    }

    private static Task Superseded(List<string> ran, long s)
    {
        ran.Add($"superseded {s}");
        return Task.CompletedTask;
    }
}
