using System.Text;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>
/// Echoes a (non-secret) offending value in an error message: control characters escaped and long values
/// clipped, so a hostile document cannot forge log lines or bloat the Confirm.
/// </summary>
internal static class Printable
{
    private const int MaxLength = 64;

    public static string Clip(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value.Length > MaxLength ? value[..MaxLength] : value)
        {
            if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        if (value.Length > MaxLength) builder.Append('…');
        return builder.ToString();
    }
}
