namespace BranchConnector.Agent.Desired;

/// <summary>Key material. Its text form is a marker, so a secret cannot leak through string interpolation or a record's ToString.</summary>
public sealed record Secret(string Value)
{
    public override string ToString() => "[redacted]";
    public bool Equals(Secret? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}
