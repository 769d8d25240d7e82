using System.Globalization;
using System.Text;

namespace BranchConnector.Agent.Protocol;

/// <summary>ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) for finite doubles, as RFC 8785 §3.2.2.3 requires.</summary>
internal static class EcmaScriptNumber
{
    public static string Format(double value)
    {
        if (value == 0) return "0"; // also -0
        if (value < 0) return "-" + Format(-value);

        // .NET's "R" is the shortest round-trip form: the same digit string s that ECMAScript chooses.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var pointAt = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = pointAt < 0 ? mantissa : mantissa.Remove(pointAt, 1);
        var n = (pointAt < 0 ? mantissa.Length : pointAt) + exponent; // value = 0.digits × 10^n
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        n -= leadingZeros;
        digits = digits.TrimEnd('0');
        var k = digits.Length;

        if (k <= n && n <= 21) return digits + new string('0', n - k);
        if (0 < n && n <= 21) return digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return "0." + new string('0', -n) + digits;
        var builder = new StringBuilder();
        builder.Append(digits[0]);
        if (k > 1) builder.Append('.').Append(digits, 1, k - 1);
        builder.Append('e').Append(n - 1 > 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }
}
