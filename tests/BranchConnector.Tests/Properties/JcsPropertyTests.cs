using System.Globalization;
using System.Text;
using System.Text.Json;
using BranchConnector.Agent.Protocol;
using CsCheck;

namespace BranchConnector.Tests.Properties;

/// <summary>
/// JCS (RFC 8785) for generated JSON: the agent's canonical form equals an independent rendering of the RFC's
/// rules (members sorted by UTF-16 code units, minimal string escapes, ECMAScript number form found by
/// trying precisions, not by "R"), whatever key order, whitespace, escapes and number spelling the input used.
/// </summary>
public class JcsPropertyTests
{
    /// <summary>A JSON value as a tree; objects keep their generated member order (the input's, not the canonical one).</summary>
    private abstract record Node;
    private sealed record Num(double Value) : Node;
    private sealed record Str(string Value) : Node;
    private sealed record Lit(string Text) : Node;
    private sealed record Arr(Node[] Items) : Node;
    private sealed record Obj((string Key, Node Value)[] Members) : Node;

    private static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.Int[0x20, 0x7e].Select(c => (char)c).Array[0, 8].Select(c => new string(c))),
        (1, Gen.Int[0, 0x1f].Select(c => (char)c).Array[0, 3].Select(c => new string(c))),
        (2, Gen.Int[0x80, 0x10ffff].Where(c => c is < 0xd800 or > 0xdfff).Select(char.ConvertFromUtf32).Array[0, 4].Select(string.Concat)));

    private static readonly Gen<double> Number = Gen.Frequency(
        (3, Gen.Double.Where(double.IsFinite)),
        (2, Gen.Long.Select(l => (double)l)),
        (2, Gen.Select(Gen.Int[-999999, 999999], Gen.Int[-30, 30]).Select(t => t.Item1 * Math.Pow(10, t.Item2))),
        (1, Gen.OneOf(0.0, -0.0, 5e-324, double.MaxValue, 1e21, 1e-7, 9007199254740993.0)));

    private static Gen<Node> Value(int depth) => depth == 0
        ? Gen.Frequency((3, Number.Select(n => (Node)new Num(n))), (3, Text.Select(s => (Node)new Str(s))), (1, Gen.OneOf("true", "false", "null").Select(t => (Node)new Lit(t))))
        : Gen.Frequency(
            (2, Value(0)),
            (1, Value(depth - 1).Array[0, 4].Select(items => (Node)new Arr(items))),
            (1, Gen.Select(Text, Value(depth - 1)).Array[0, 5].Select(m => (Node)new Obj(m.DistinctBy(x => x.Item1, StringComparer.Ordinal).ToArray()))));

    [Fact]
    public void Canonical_form_follows_rfc8785_whatever_the_input_spelling()
    {
        Gen.Select(Value(3), Gen.Int, Gen.Int).Sample((tree, seed1, seed2) =>
        {
            var expected = Canonical(tree);
            foreach (var seed in new[] { seed1, seed2 })
            {
                using var doc = JsonDocument.Parse(Spell(tree, new Random(seed)));
                var canonical = Jcs.CanonicalText(doc.RootElement);
                Assert.Equal(expected, canonical);
                using var again = JsonDocument.Parse(canonical);
                Assert.Equal(canonical, Jcs.CanonicalText(again.RootElement));
            }
        }, iter: 2000, threads: 1);
    }

    [Theory]
    // RFC 8785 appendix B: IEEE 754 bit patterns and their canonical text.
    [InlineData(0x0000000000000001, "5e-324")]
    [InlineData(0x8000000000000001, "-5e-324")]
    [InlineData(0x7fefffffffffffff, "1.7976931348623157e+308")]
    [InlineData(0x4340000000000000, "9007199254740992")]
    [InlineData(0x4430000000000000, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6, "1e+23")]
    [InlineData(0x444b1ae4d6e2ef4f, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8d, "0.000001")]
    [InlineData(0x41b3de4355555557, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959, "1424953923781206.2")]
    public void Rfc8785_number_vectors(ulong bits, string expected)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);
        Assert.Equal(expected, EsNumber(value));
        using var doc = JsonDocument.Parse(value.ToString("R", CultureInfo.InvariantCulture));
        Assert.Equal(expected, Jcs.CanonicalText(doc.RootElement));
    }

    /// <summary>The RFC's rules, written out independently of the agent.</summary>
    private static string Canonical(Node node) => node switch
    {
        Num n => EsNumber(n.Value),
        Str s => Quote(s.Value),
        Lit l => l.Text,
        Arr a => "[" + string.Join(',', a.Items.Select(Canonical)) + "]",
        Obj o => "{" + string.Join(',', o.Members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => Quote(m.Key) + ":" + Canonical(m.Value))) + "}",
        _ => throw new InvalidOperationException(),
    };

    private static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            b.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\b' => "\\b", '\f' => "\\f", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return b.Append('"').ToString();
    }

    /// <summary>ECMA-262 Number::toString: the fewest significant digits that read back as the same double, then the layout rules.</summary>
    internal static string EsNumber(double v)
    {
        if (v == 0) return "0";
        if (v < 0) return "-" + EsNumber(-v);
        string digits = "";
        var exponent = 0;
        for (var precision = 1; precision <= 17; precision++)
        {
            var e = v.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture); // d.ddddE+xxx
            if (double.Parse(e, CultureInfo.InvariantCulture) != v) continue;
            var parts = e.Split('E');
            digits = parts[0].Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
            exponent = int.Parse(parts[1], CultureInfo.InvariantCulture);
            break;
        }
        var k = digits.Length;
        var n = exponent + 1;
        if (k <= n && n <= 21) return digits + new string('0', n - k);
        if (0 < n && n <= 21) return digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return "0." + new string('0', -n) + digits;
        var sign = n - 1 < 0 ? "-" : "+";
        var mantissa = k == 1 ? digits : digits[0] + "." + digits[1..];
        return mantissa + "e" + sign + Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One of many JSON texts for the tree: random whitespace, escapes and number spellings, members in generated order.</summary>
    private static string Spell(Node node, Random r)
    {
        string Ws() => r.Next(4) switch { 0 => " ", 1 => "\n\t", _ => "" };
        return Ws() + node switch
        {
            Num n => SpellNumber(n.Value, r),
            Str s => SpellString(s.Value, r),
            Lit l => l.Text,
            Arr a => "[" + string.Join("," + Ws(), a.Items.Select(i => Spell(i, r))) + "]",
            Obj o => "{" + string.Join(",", o.Members.Select(m => Ws() + SpellString(m.Key, r) + Ws() + ":" + Spell(m.Value, r))) + Ws() + "}",
            _ => throw new InvalidOperationException(),
        } + Ws();
    }

    private static string SpellNumber(double v, Random r) => r.Next(3) switch
    {
        0 => v.ToString("R", CultureInfo.InvariantCulture),
        1 => v.ToString("E16", CultureInfo.InvariantCulture),
        _ => v.ToString("e17", CultureInfo.InvariantCulture),
    };

    private static string SpellString(string s, Random r)
    {
        var b = new StringBuilder("\"");
        for (var i = 0; i < s.Length; i++)
        {
            // A surrogate pair is escaped as a whole or not at all (half of it escaped is a lone surrogate).
            var pair = char.IsHighSurrogate(s[i]) ? s.Substring(i++, 2) : s[i].ToString();
            if (pair[0] is '"' or '\\' or < ' ' || r.Next(5) == 0)
                foreach (var c in pair) b.Append("\\u").Append(((int)c).ToString(r.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
            else b.Append(pair);
        }
        return b.Append('"').ToString();
    }
}
