using System.Globalization;

namespace BranchConnector.TestHub;

/// <summary>`verb --name value --flag` arguments: every option is named, so the scripts stay readable.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public CliArgs(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal)) { _positional.Add(list[i]); continue; }
            var name = list[i][2..];
            var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
            _options[name] = hasValue ? list[++i] : "true";
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public string Required(string name) =>
        _options.TryGetValue(name, out var v) ? v : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _options.GetValueOrDefault(name);

    public string Get(string name, string fallback) => _options.GetValueOrDefault(name) ?? fallback;

    public bool Flag(string name) => _options.ContainsKey(name);

    public long Long(string name) =>
        long.TryParse(Required(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--{name} must be an integer");

    public TimeSpan Seconds(string name, double fallback) =>
        TimeSpan.FromSeconds(_options.TryGetValue(name, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : fallback);
}

/// <summary>A wrong command line: printed with the usage, exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);
