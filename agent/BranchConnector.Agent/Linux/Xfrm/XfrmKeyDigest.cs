using System.Security.Cryptography;
using System.Text;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>A one-way digest of an SA key, so observed state can be compared with desired state without holding keys.</summary>
public static class XfrmKeyDigest
{
    /// <summary>Hex keys compare case-insensitively and with or without "0x".</summary>
    public static string Of(string hexKey)
    {
        var key = hexKey.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hexKey[2..] : hexKey;
        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(key.ToLowerInvariant())))[..16];
    }
}
