using System.Text.RegularExpressions;

namespace BranchConnector.Agent.Tools;

/// <summary>Last line of defence for text that may echo key material (stdin of wg/ip, tool stderr).</summary>
public static partial class SecretRedactor
{
    public const string Marker = "[redacted]";

    public static string Redact(string text)
    {
        text = WgKeyLine().Replace(text, m => m.Groups[1].Value + Marker);
        text = WgBadKey().Replace(text, m => m.Groups[1].Value + Marker);
        text = XfrmKey().Replace(text, m => m.Groups[1].Value + Marker);
        return text;
    }

    /// <summary>
    /// Anywhere in a line, not only at its start: wg quotes a line it cannot parse with its whitespace stripped
    /// ("Line unrecognized: `PrivateKey=…'"), so the key may follow other text and end at a quote.
    /// </summary>
    [GeneratedRegex(@"(?i)(\b(?:PrivateKey|PresharedKey)\s*=\s*)[^\s'`""]+")]
    private static partial Regex WgKeyLine();

    /// <summary>wg quotes a key it cannot decode: "Key is not the correct length or format: `…'".</summary>
    [GeneratedRegex(@"(?i)(correct length or format: `)[^'\s]*")]
    private static partial Regex WgBadKey();

    /// <summary>
    /// `ip xfrm` key arguments as written (`aead 'rfc4106(gcm(aes))' 0xKEY`) and as printed
    /// (`aead rfc4106(gcm(aes)) 0xKEY 128`, `enc cbc(aes) 0xKEY`, `auth-trunc hmac(sha256) 0xKEY 128`).
    /// </summary>
    [GeneratedRegex(@"(?i)\b((?:aead|enc|auth|auth-trunc)\s+(?:'[^']*'|""[^""]*""|\S+)\s+)(?:0x)?[0-9a-f]+\b")]
    private static partial Regex XfrmKey();
}
