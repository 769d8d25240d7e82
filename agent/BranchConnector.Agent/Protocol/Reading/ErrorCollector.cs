namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>
/// Gathers every problem of one document, in document order, at most one per JSON path (the first wins,
/// so a float that the number scan already reported is not reported again as "wrong type").
/// A scoped view stamps the batch command's index and topic on what it records.
/// </summary>
internal sealed class ErrorCollector
{
    private readonly List<ValidationError> _errors;
    private readonly HashSet<string> _paths;
    private readonly int? _index;
    private readonly string? _topic;

    public ErrorCollector() : this([], new HashSet<string>(StringComparer.Ordinal), null, null) { }

    private ErrorCollector(List<ValidationError> errors, HashSet<string> paths, int? index, string? topic)
    {
        _errors = errors;
        _paths = paths;
        _index = index;
        _topic = topic;
    }

    public IReadOnlyList<ValidationError> Errors => _errors;
    public int Count => _errors.Count;

    public ErrorCollector ForCommand(int index, string? topic) => new(_errors, _paths, index, topic);

    public void Add(string code, string path, string message)
    {
        if (!_paths.Add(path)) return;
        _errors.Add(new ValidationError(code, path, message, _index, _topic));
    }

    public void Invalid(string path, string message) => Add(ErrorCodes.InvalidField, path, message);

    public bool HasErrorAtOrUnder(string path) =>
        _paths.Any(p => p == path || p.StartsWith(path + ".", StringComparison.Ordinal) || p.StartsWith(path + "[", StringComparison.Ordinal));
}
