using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Routes;

namespace BranchConnector.Tests.Routes;

public class RuleParserTests
{
    public static IReadOnlyList<ObservedRule> CapturedRules() =>
        [.. RuleParser.Parse(GoldenText.Read("rule-v4.json"), IpFamily.V4), .. RuleParser.Parse(GoldenText.Read("rule-v6.json"), IpFamily.V6)];

    [Fact]
    public void Keeps_only_the_agents_band_and_reads_every_selector()
    {
        var rules = RuleParser.Parse(GoldenText.Read("rule-v4.json"), IpFamily.V4);
        Assert.Equal(
        [
            new ObservedRule(5180, null, null, 254, null, false, 0, IpFamily.V4),
            new ObservedRule(5181, null, null, 51820, 0xca6c, true, null, IpFamily.V4),
            new ObservedRule(5182, "192.168.10.0/24", "10.40.0.0/16", 100, null, false, null, IpFamily.V4),
            new ObservedRule(5183, "192.168.11.5/32", null, 100, null, false, null, IpFamily.V4),
            new ObservedRule(5184, null, null, 100, 0x10, false, null, IpFamily.V4) { Unmodeled = "fwmask" },
        ], rules);
        Assert.All(rules.Take(4), r => Assert.Null(r.Unmodeled));
    }

    [Fact]
    public void Parses_v6_full_tunnel_rules()
    {
        Assert.Equal(
        [
            new ObservedRule(5180, null, null, 254, null, false, 0, IpFamily.V6),
            new ObservedRule(5181, null, null, 51820, 0xca6c, true, null, IpFamily.V6),
        ], RuleParser.Parse(GoldenText.Read("rule-v6.json"), IpFamily.V6));
    }

    [Fact]
    public void Table_names_parse_like_numbers()
    {
        Assert.Equal(RuleParser.Parse(GoldenText.Read("rule-v4.json"), IpFamily.V4), RuleParser.Parse(GoldenText.Read("rule-v4-names.json"), IpFamily.V4));
    }
}
