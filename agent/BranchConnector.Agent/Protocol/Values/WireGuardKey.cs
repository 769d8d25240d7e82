namespace BranchConnector.Agent.Protocol.Values;

/// <summary>WireGuard keys are 32 bytes in standard base64 (44 characters with one '=' pad).</summary>
public static class WireGuardKey
{
    /// <summary>The problem, or null. Never includes the value: this also checks preshared keys.</summary>
    public static string? Problem(string text)
    {
        Span<byte> bytes = stackalloc byte[33];
        if (text.Length != 44 || !Convert.TryFromBase64String(text, bytes, out var written) || written != 32)
            return "must be a 32-byte key in base64 (44 characters)";
        return null;
    }
}
