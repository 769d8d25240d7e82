using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Tests.Routes;

namespace BranchConnector.Tests.Xfrm;

/// <summary>
/// xfrm-policy.txt is real `ip xfrm policy` output (iproute2 6.1, kernel 6.18) captured in a namespace by
/// golden/capture-xfrm-policy.sh. xfrm-state.txt is written by hand after iproute2's print format: this
/// kernel has no ESP, so no ESP state can be installed to capture.
/// </summary>
public class XfrmParserTests
{
    [Fact]
    public void Real_policy_output_keeps_only_the_band()
    {
        var policies = XfrmPolicyParser.Parse(GoldenText.Read("xfrm-policy.txt"));
        // Out of the band: priority 379519 and 0. In the band but marked: somebody else's. Kept: 3 + the odd one + IPv6.
        Assert.Equal(5, policies.Count);
        var reqid = 0xbc00c3a1u;
        Assert.Contains(new ObservedPolicy(new PolicyKey(PolicyDir.Out, "192.168.10.0/24", "10.40.0.0/16"), 48128,
            [new PolicyTemplate("198.51.100.2", "198.51.100.9", "esp", reqid, "tunnel")]), policies, PolicyComparer.Instance);
        Assert.Contains(new ObservedPolicy(new PolicyKey(PolicyDir.In, "10.40.0.0/16", "192.168.10.0/24"), 48128,
            [new PolicyTemplate("198.51.100.9", "198.51.100.2", "esp", reqid, "tunnel")]), policies, PolicyComparer.Instance);
        Assert.Contains(new ObservedPolicy(new PolicyKey(PolicyDir.Fwd, "10.40.0.0/16", "192.168.10.0/24"), 48128,
            [new PolicyTemplate("198.51.100.9", "198.51.100.2", "esp", reqid, "tunnel")]), policies, PolicyComparer.Instance);
        var odd = Assert.Single(policies, p => p.Key.Upper is not null);
        Assert.Equal(new PolicyKey(PolicyDir.Out, "192.168.30.0/24", "10.70.0.0/16", "proto udp dport 53"), odd.Key);
        Assert.Equal("selector proto udp dport 53", odd.Unmodeled);
        Assert.Equal(48129u, odd.Priority);
        Assert.DoesNotContain(policies, p => p.Key.Source == "192.168.20.0/24");
        Assert.Contains(policies, p => p.Key.Source == "2001:db8:1::/48");
        Assert.Equal("xfrm policy delete src 192.168.30.0/24 dst 10.70.0.0/16 proto udp dport 53 dir out", XfrmRenderer.DeletePolicy(odd.Key));
    }

    [Fact]
    public void Policies_read_back_from_the_kernel_match_the_rendered_ones()
    {
        // The capture script installed, for link reqid 0xbc00c3a1, what the planner would write for one subnet pair.
        var policies = XfrmPolicyParser.Parse(GoldenText.Read("xfrm-policy.txt")).Where(p => p.Unmodeled is null && p.Key.Source.Contains('.')).ToList();
        Assert.Equal(3, policies.Count);
        Assert.All(policies, p => Assert.Equal(XfrmBands.Priority, p.Priority));
    }

    [Fact]
    public void State_output_keeps_band_esp_states_and_no_key_material()
    {
        var text = GoldenText.Read("xfrm-state.txt");
        var states = XfrmStateParser.Parse(text);
        // Dropped: reqid 16389 (an IKE daemon's), the marked one, the AH one.
        Assert.Equal(3, states.Count);
        var outbound = states[0];
        Assert.Equal(new ObservedSa("198.51.100.2", "198.51.100.9", 0xc001, 0xbc00c3a1, "tunnel", "rfc4106(gcm(aes))",
            XfrmKeyDigest.Of(new string('1', 72)), 128, new SaEncap("espinudp", 4500, 4500)) { OutboundSequence = 0, InboundSequence = 0 }, outbound);
        Assert.Null(outbound.Unmodeled);
        Assert.Equal(XfrmKeyDigest.Of(string.Concat(Enumerable.Repeat("12", 36))), states[1].KeyDigest);
        var legacy = states[2];
        Assert.Null(legacy.KeyDigest);
        Assert.Equal("auth-trunc hmac(sha256), enc cbc(aes)", legacy.Unmodeled);
        foreach (var s in states)
        {
            var printed = s.ToString();
            foreach (var digit in "123456")
                Assert.DoesNotContain(new string(digit, 16), printed);
        }
    }

    [Fact]
    public void Esn_states_give_64_bit_counters_and_the_window()
    {
        // iproute2 6.1 prints an ESN SA's replay state on the line after "anti-replay esn context:".
        var states = XfrmStateParser.Parse(GoldenText.Read("xfrm-state-esn.txt"));
        Assert.Equal(2, states.Count);
        var outbound = states[0];
        Assert.True(outbound.Esn);
        Assert.Equal(128, outbound.ReplayWindow);
        Assert.Equal(0x1_4000_0a2bUL, outbound.OutboundSequence);
        var inbound = states[1];
        Assert.Equal(0x2_0000_0010UL, inbound.InboundSequence);
        Assert.Equal(0UL, inbound.OutboundSequence);
    }

    [Fact]
    public void Nokeys_output_gives_the_counters_without_any_key()
    {
        var text = GoldenText.Read("xfrm-state-esn.txt");
        var nokeys = string.Join('\n', text.Split('\n').Select(l => l.TrimStart().StartsWith("aead ", StringComparison.Ordinal)
            ? "\taead rfc4106(gcm(aes)) <<Keys hidden>> 128" : l));
        var states = XfrmStateParser.Parse(nokeys);
        Assert.All(states, s => Assert.Null(s.KeyDigest));
        Assert.Equal(128, states[0].IcvBits);
        Assert.Equal(0x1_4000_0a2bUL, states[0].OutboundSequence);
        Assert.Equal(["ip", "xfrm", "state", "list", "nokeys"], [XfrmStateParser.RequestWithoutKeys.FileName, .. XfrmStateParser.RequestWithoutKeys.Arguments]);
    }

    [Fact]
    public void Empty_output_is_no_objects()
    {
        Assert.Empty(XfrmStateParser.Parse(""));
        Assert.Empty(XfrmPolicyParser.Parse("\n"));
    }

    /// <summary>Records holding lists compare by reference; compare the template lists by content.</summary>
    private sealed class PolicyComparer : IEqualityComparer<ObservedPolicy>
    {
        public static readonly PolicyComparer Instance = new();
        public bool Equals(ObservedPolicy? x, ObservedPolicy? y) =>
            x is not null && y is not null && x.Key == y.Key && x.Priority == y.Priority && x.Unmodeled == y.Unmodeled && x.Templates.SequenceEqual(y.Templates);
        public int GetHashCode(ObservedPolicy obj) => obj.Key.GetHashCode();
    }
}
