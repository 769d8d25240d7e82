using System.Text.Json;
using BranchConnector.Agent.Protocol;

namespace BranchConnector.Tests.Protocol;

public class JcsTests
{
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Jcs.CanonicalText(document.RootElement);
    }

    [Fact]
    public void Sorts_keys_and_drops_whitespace() =>
        Assert.Equal("""{"a":[true,null,"x"],"b":1,"c":{"y":false,"z":{}}}""", Canonical("""{ "c": { "z": { }, "y": false }, "b": 1, "a": [ true, null, "x" ] }"""));

    [Fact]
    public void Sorts_keys_by_utf16_code_units_rfc8785_3_2_3() =>
        // The emoji (U+1F600, surrogates D83D DE00) sorts before U+FB33: UTF-16 order, not code point order.
        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            Canonical("""{ "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" }"""));

    [Fact]
    public void Escapes_strings_minimally_rfc8785_3_2_2_2() =>
        Assert.Equal("{\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", Canonical("""{ "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/" }"""));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("100", "100")]
    [InlineData("-42", "-42")]
    [InlineData("4294967295", "4294967295")]
    [InlineData("1E30", "1e+30")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("-1.5e-10", "-1.5e-10")]
    [InlineData("9007199254740993", "9007199254740992")]
    public void Formats_numbers_as_ecmascript(string json, string expected) => Assert.Equal(expected, Canonical(json));

    [Fact]
    public void Hash_is_lowercase_hex_sha256_of_the_canonical_form()
    {
        // Values from `printf '%s' '<canonical text>' | sha256sum`.
        using var empty = JsonDocument.Parse("[ ]");
        Assert.Equal("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", ConfigHash.Compute(empty.RootElement));
        using var commands = JsonDocument.Parse("""[ { "topic": "monitoring", "index": 0, "body": { } } ]""");
        Assert.Equal("f7e3dec4f3a4e6370e5476ba2b621a608be2262fb09e99b4cb14f0fb5ecd27f0", ConfigHash.Compute(commands.RootElement));
        using var mixed = JsonDocument.Parse("""{"b": 1, "a": [true, null, "x"]}""");
        Assert.Equal("54a65415ad370228851a1da4b31b6fd42dc58b19a50d35cae759325f7388ce64", ConfigHash.Compute(mixed.RootElement));
    }

    [Fact]
    public void Lone_surrogate_is_refused()
    {
        using var document = JsonDocument.Parse("""["\ud800"]""");
        Assert.ThrowsAny<Exception>(() => Jcs.CanonicalText(document.RootElement));
    }
}
