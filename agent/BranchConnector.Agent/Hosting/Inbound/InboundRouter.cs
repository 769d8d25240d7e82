using System.Threading.Channels;
using BranchConnector.Agent.Mqtt;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Inbound;

/// <summary>
/// Southbound dispatch as a table: each topic the agent serves is one <see cref="Route"/> line in the wiring.
/// A handler gets the payload and the arrival time; one that also takes over-sized messages says so (the
/// document topics answer them with a `too_large` Confirm). Anything else is logged and dropped.
/// </summary>
public sealed class InboundRouter(TimeProvider clock, ILogger logger)
{
    private readonly Dictionary<string, (Action<ReadOnlyMemory<byte>, DateTimeOffset> OnPublish, Action<int, DateTimeOffset>? OnTooLarge)> _routes =
        new(StringComparer.Ordinal);

    public InboundRouter Route(string topic, Action<ReadOnlyMemory<byte>, DateTimeOffset> onPublish, Action<int, DateTimeOffset>? onTooLarge = null)
    {
        _routes.Add(topic, (onPublish, onTooLarge));
        return this;
    }

    public async Task RunAsync(ChannelReader<InboundMessage> inbound, CancellationToken ct)
    {
        await foreach (var message in inbound.ReadAllAsync(ct).ConfigureAwait(false)) Dispatch(message);
    }

    public void Dispatch(InboundMessage message)
    {
        var receivedAt = clock.GetUtcNow();
        _routes.TryGetValue(message.Topic, out var route);
        switch (message)
        {
            case InboundPublish p when route.OnPublish is not null:
                route.OnPublish(p.Payload, receivedAt);
                return;
            case InboundTooLarge big when route.OnTooLarge is not null:
                route.OnTooLarge(big.Size, receivedAt);
                return;
            default:
                logger.LogInformation("message on {Topic} ({Bytes} bytes) is not for this agent: dropped", message.Topic,
                    message is InboundPublish ip ? ip.Payload.Length : (message as InboundTooLarge)?.Size);
                return;
        }
    }
}
