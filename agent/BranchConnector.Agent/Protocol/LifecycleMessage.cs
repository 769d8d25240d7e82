using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;

namespace BranchConnector.Agent.Protocol;

public enum LifecycleAction { Approve, Decommission, RotateKeys, Drain, Undrain }

/// <summary>`{S}/{serial}/lifecycle`: `{ "v":1, "action", "issued_at", "reason" }`.</summary>
public sealed record LifecycleMessage(LifecycleAction Action, DateTimeOffset? IssuedAt, string? Reason);

public sealed record LifecycleDecodeResult(LifecycleMessage? Message, EquatableList<ValidationError> Errors)
{
    public bool IsValid => Message is not null;
}

public static class LifecycleDecoder
{
    public static LifecycleDecodeResult Decode(ReadOnlySpan<byte> payload)
    {
        var errors = new ErrorCollector();
        using var document = EnvelopeReader.Parse(payload, errors);
        if (document is null) return new LifecycleDecodeResult(null, errors.Errors.ToEquatableList());
        var root = ObjectReader.From(document.RootElement, "", errors)!.Value;
        EnvelopeReader.CheckVersion(root);
        LifecycleAction? action = root.Choice("action", true, "approve", "decommission", "rotate_keys", "drain", "undrain") switch
        {
            "approve" => LifecycleAction.Approve,
            "decommission" => LifecycleAction.Decommission,
            "rotate_keys" => LifecycleAction.RotateKeys,
            "drain" => LifecycleAction.Drain,
            "undrain" => LifecycleAction.Undrain,
            _ => null,
        };
        var issuedAt = EnvelopeReader.IssuedAt(root);
        var reason = root.String("reason");
        var message = errors.Count == 0 && action is not null ? new LifecycleMessage(action.Value, issuedAt, reason) : null;
        return new LifecycleDecodeResult(message, errors.Errors.ToEquatableList());
    }
}
