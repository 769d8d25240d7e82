using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Protocol;

/// <summary>A southbound document that passed every check: what the sequence rule and the Confirm need of it.</summary>
public interface IDecodedDocument
{
    long Sequence { get; }
    string ConfigHash { get; }
}

/// <summary>
/// The outcome of decoding a document: either <see cref="Document"/>, or every error found. <see cref="Sequence"/>
/// and <see cref="ConfigHash"/> are whatever could be read, for the Confirm (null when not readable).
/// </summary>
public abstract record DecodeResult<TDoc>(EquatableList<ValidationError> Errors, long? Sequence, string? ConfigHash) where TDoc : class, IDecodedDocument
{
    public abstract TDoc? Document { get; }
    public bool IsValid => Document is not null;

    /// <summary>The Confirm's `error`: the first problem in document order.</summary>
    public ValidationError? FirstError => Errors.Count == 0 ? null : Errors[0];
}
