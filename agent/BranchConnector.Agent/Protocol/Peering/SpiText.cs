using System.Globalization;

namespace BranchConnector.Agent.Protocol.Peering;

/// <summary>An ESP SPI as the hub writes it: "0x" and 1 to 8 hex digits, not zero (RFC 4303 reserves 0).</summary>
internal static class SpiText
{
    public static string? TryParse(string text, out uint spi)
    {
        spi = 0;
        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length is < 3 or > 10 || !text.Skip(2).All(Uri.IsHexDigit))
            return $"'{Reading.Printable.Clip(text)}' is not an SPI (\"0x\" and 1 to 8 hex digits)";
        spi = uint.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return spi == 0 ? "SPI 0 is reserved" : null;
    }
}
