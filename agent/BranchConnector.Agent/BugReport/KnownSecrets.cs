using System.Text.Json;

namespace BranchConnector.Agent.BugReport;

/// <summary>
/// The secret values this box holds, read so they can be cut out of every file of the bug report, whatever
/// tool printed them: WireGuard private keys (state_dir/keys), preshared keys and IPSec keys of the applied and
/// previous documents (batch.json, peering.json and their .bak), and the broker password. Held only in memory.
/// </summary>
public sealed class KnownSecrets
{
    /// <summary>Shorter values are not searched for: they would cut ordinary words out of the report.</summary>
    private const int MinLength = 8;

    private static readonly string[] SecretNames = ["preshared_key", "private_key", "key", "password", "secret", "token", "psk"];

    private readonly HashSet<string> _values = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _values.Count;

    public void Add(string? value)
    {
        var v = value?.Trim();
        if (v is { Length: >= MinLength }) _values.Add(v);
    }

    /// <summary>Every file of state_dir/keys, and every secret-named string in the stored documents.</summary>
    public void AddFromStateDir(string stateDir)
    {
        var keys = Path.Combine(stateDir, "keys");
        if (Directory.Exists(keys))
            foreach (var file in Directory.EnumerateFiles(keys, "*.key")) Add(TryRead(file));
        foreach (var name in new[] { "batch.json", "peering.json" })
        foreach (var file in new[] { name, name + ".bak" })
            AddFromDocument(TryRead(Path.Combine(stateDir, file)));
    }

    /// <summary>Walks a JSON document for strings under secret-sounding names ("key", "preshared_key", …; never "public_key").</summary>
    public void AddFromDocument(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return;
        try
        {
            using var doc = JsonDocument.Parse(json);
            Walk(doc.RootElement, null);
        }
        catch (JsonException)
        {
            // A document that does not parse cannot be walked; the pattern redaction still applies to its output.
        }
    }

    public string Redact(string text)
    {
        foreach (var secret in _values.OrderByDescending(s => s.Length))
            text = text.Replace(secret, Tools.SecretRedactor.Marker, StringComparison.OrdinalIgnoreCase);
        return text;
    }

    /// <summary>True when some known secret is still in <paramref name="text"/> (the builder's last check).</summary>
    public bool Leaks(string text) => _values.Any(s => text.Contains(s, StringComparison.OrdinalIgnoreCase));

    private void Walk(JsonElement element, string? name)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) Walk(p.Value, p.Name);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, name);
                break;
            case JsonValueKind.String when name is not null && IsSecretName(name):
                Add(element.GetString());
                break;
        }
    }

    private static bool IsSecretName(string name) =>
        !name.Equals("public_key", StringComparison.OrdinalIgnoreCase)
        && SecretNames.Any(s => name.Equals(s, StringComparison.OrdinalIgnoreCase) || name.EndsWith("_" + s, StringComparison.OrdinalIgnoreCase));

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
