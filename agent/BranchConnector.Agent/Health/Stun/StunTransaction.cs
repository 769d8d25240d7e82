using System.Diagnostics;
using System.Net;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>One in-flight Binding request towards one server address; completed by the first valid answer.</summary>
internal sealed class StunTransaction(IPEndPoint target, StunTransactionId id, string? software)
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPEndPoint? _mapped;

    /// <summary>Compared against the sender of every datagram: answers from anywhere else are ignored.</summary>
    public IPEndPoint Target { get; } = NatClassifier.Normalize(target);

    public StunTransactionId Id { get; } = id;

    public byte[] Request { get; } = StunMessage.EncodeBindingRequest(id, software);

    public long StartedAt { get; set; }

    public Task Answered => _answered.Task;

    public IPEndPoint? Mapped => Volatile.Read(ref _mapped);

    /// <summary>From the first request to the first valid answer.</summary>
    public TimeSpan? RoundTrip { get; private set; }

    public void Complete(IPEndPoint mapped)
    {
        var elapsed = Stopwatch.GetElapsedTime(StartedAt);
        if (Interlocked.CompareExchange(ref _mapped, NatClassifier.Normalize(mapped), null) is not null) return;
        RoundTrip = elapsed;
        _answered.TrySetResult();
    }
}
