using System.Text.RegularExpressions;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.BugReport;

/// <summary>
/// Everything that goes into the archive passes here: the known values are cut out first, then the patterns
/// that catch key material the agent does not know (an old SA's key, a key someone typed into agent.yaml, a PEM
/// private key): <see cref="SecretRedactor"/>'s wg/xfrm patterns, wg's "private key:" lines, secret-named YAML keys.
/// </summary>
public static partial class ReportRedactor
{
    public static string Redact(string text, KnownSecrets secrets)
    {
        text = secrets.Redact(text);
        text = SecretRedactor.Redact(text);
        text = WgShowKeyLine().Replace(text, m => m.Groups[1].Value + SecretRedactor.Marker);
        text = YamlSecret().Replace(text, m => m.Groups[1].Value + SecretRedactor.Marker);
        text = PemPrivateKey().Replace(text, SecretRedactor.Marker);
        return text;
    }

    /// <summary>`wg show` as people read it: "  private key: …", "  preshared key: …" (normally "(hidden)").</summary>
    [GeneratedRegex(@"(?im)^(\s*(?:private|preshared) key:\s*).+$")]
    private static partial Regex WgShowKeyLine();

    /// <summary>A YAML key naming a secret, except the *_file keys that only name where the secret is.</summary>
    [GeneratedRegex(@"(?im)^(\s*[\w-]*(?:password|secret|token|psk|private_key|preshared_key)(?<!_file)\s*:\s*)(?!\s*$)[^#\r\n]+")]
    private static partial Regex YamlSecret();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PemPrivateKey();
}
