using YamlDotNet.RepresentationModel;

namespace BranchConnector.Agent.Config;

/// <summary>
/// One YAML mapping of agent.yaml being read, with its dotted key path, so every error names the exact key
/// and the file. Walks the representation model by hand: no reflection, so it survives trimming.
/// Keys that were never asked for are reported by <see cref="CollectUnknownKeys"/>.
/// </summary>
internal sealed class SettingsMapping
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public SettingsMapping(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
        foreach (var key in node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: not null })
                throw ConfigException.ForKey(file, path.Length == 0 ? "(top level)" : path,
                    $"line {key.Start.Line}: a key must be a plain name");
        }
    }

    public string File { get; }

    /// <summary>Dotted path of this mapping ("" for the document root).</summary>
    public string Path { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public ConfigException Error(string key, string problem) => ConfigException.ForKey(File, KeyPath(key), problem);

    /// <summary>The scalar under <paramref name="key"/>; null when the key is absent, null (~) or blank.</summary>
    public string? Scalar(string key)
    {
        var node = Child(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => ScalarText(scalar),
            YamlSequenceNode => throw Error(key, "must be a single value, not a list"),
            _ => throw Error(key, "must be a single value, not a mapping"),
        };
    }

    /// <summary>The nested mapping under <paramref name="key"/>; an empty one when the key is absent or null.</summary>
    public SettingsMapping Mapping(string key)
    {
        var node = Child(key);
        return node switch
        {
            null => new SettingsMapping(File, KeyPath(key), new YamlMappingNode()),
            YamlMappingNode mapping => new SettingsMapping(File, KeyPath(key), mapping),
            YamlScalarNode scalar when ScalarText(scalar) is null => new SettingsMapping(File, KeyPath(key), new YamlMappingNode()),
            _ => throw Error(key, "must be a mapping of settings"),
        };
    }

    /// <summary>The scalars of the list under <paramref name="key"/> (blank items kept as ""); null when absent.</summary>
    public IReadOnlyList<string>? ScalarList(string key)
    {
        var node = Child(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar when ScalarText(scalar) is null:
                return null;
            case YamlSequenceNode sequence:
                var items = new List<string>(sequence.Children.Count);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (sequence.Children[i] is not YamlScalarNode item)
                        throw Error($"{key}[{i}]", "must be a single value");
                    items.Add(ScalarText(item) ?? "");
                }
                return items;
            default:
                throw Error(key, "must be a list");
        }
    }

    /// <summary>Full key paths of every key in this mapping that no reader asked for.</summary>
    public IEnumerable<string> CollectUnknownKeys() =>
        _node.Children.Keys.Cast<YamlScalarNode>()
            .Select(k => k.Value!)
            .Where(k => !_read.Contains(k))
            .Select(KeyPath);

    private YamlNode? Child(string key)
    {
        _read.Add(key);
        foreach (var (name, value) in _node.Children)
        {
            if (((YamlScalarNode)name).Value == key) return value;
        }
        return null;
    }

    /// <summary>YAML null ("", ~, null) and blank text both mean "not set".</summary>
    private static string? ScalarText(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && text is "~" or "null" or "Null" or "NULL") return null;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
