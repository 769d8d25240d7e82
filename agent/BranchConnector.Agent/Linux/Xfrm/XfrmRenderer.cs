using System.Globalization;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// `ip -batch -` lines for xfrm states and policies. SA keys appear only here, in batch stdin (never argv):
/// the command carrying them is marked StdinIsSecret and SecretRedactor hides them in any displayed text.
/// </summary>
public static class XfrmRenderer
{
    public const string Aead = "rfc4106(gcm(aes))";
    public const int IcvBits = 128;
    public const string EncapType = "espinudp";

    /// <summary>
    /// Extended sequence numbers and a replay window on every SA (docs/xfrm.md, "Sequence numbers across
    /// restarts"). <paramref name="sequence"/>: for an outbound SA the kernel's oseq, the last number used (the
    /// first packet carries sequence + 1), so an SA installed again starts above every number it may have used and
    /// no GCM nonce repeats; for an inbound SA the highest number received before, so the window's ESN inference
    /// starts where the peer is. No `sel`: tunnel-mode traffic selection is the policies' job.
    /// </summary>
    public static string AddSa(DesiredSa sa, ulong sequence = 0) =>
        $"xfrm state add src {sa.Source} dst {sa.Destination} proto esp spi {Hex(sa.Spi)} reqid {Hex(sa.Reqid)} mode tunnel" +
        $" replay-window {Num(SaSequences.ReplayWindow)}{Sequence(sa.Direction == SaDirection.Outbound ? "replay-oseq" : "replay-seq", sequence)} flag esn" +
        $" aead '{Aead}' 0x{sa.Key.Value} {Num(IcvBits)} encap {EncapType} {Num(sa.SourcePort)} {Num(sa.DestinationPort)} 0.0.0.0";

    /// <summary>`ip` takes the 64-bit number as two 32-bit halves.</summary>
    private static string Sequence(string option, ulong value) => value == 0 ? ""
        : $" {option}-hi {Hex((uint)(value >> 32))} {option} {Hex((uint)value)}";

    public static string DeleteSa(ObservedSa sa) => $"xfrm state delete src {sa.Source} dst {sa.Destination} proto esp spi {Hex(sa.Spi)}";

    /// <summary>`add` for a new policy, so a foreign policy with the same selector makes the line fail instead of being taken over.</summary>
    public static string AddPolicy(DesiredPolicy policy) => "xfrm policy add " + PolicySpec(policy);

    /// <summary>`update` only for a policy already observed in the agent's band (the kernel holds one per selector and dir).</summary>
    public static string UpdatePolicy(DesiredPolicy policy) => "xfrm policy update " + PolicySpec(policy);

    public static string DeletePolicy(PolicyKey key) => $"xfrm policy delete {Selector(key)} dir {Dir(key.Dir)}";

    internal static string Describe(DesiredSa sa) =>
        $"sa {(sa.Direction == SaDirection.Inbound ? "in" : "out")} spi {Hex(sa.Spi)} {sa.Source} -> {sa.Destination} link {sa.LinkId}";

    internal static string Describe(ObservedSa sa) => $"sa spi {Hex(sa.Spi)} {sa.Source} -> {sa.Destination} reqid {Hex(sa.Reqid)}";

    internal static string Describe(DesiredPolicy policy) => $"policy {policy.Key} link {policy.LinkId}";

    internal static string Dir(PolicyDir dir) => dir.ToString().ToLowerInvariant();

    internal static string Hex(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);

    private static string PolicySpec(DesiredPolicy p) =>
        $"{Selector(p.Key)} dir {Dir(p.Key.Dir)} priority {Num(XfrmBands.Priority)}" +
        $" tmpl src {p.Template.Source} dst {p.Template.Destination} proto {p.Template.Proto} reqid {Hex(p.Template.Reqid)} mode {p.Template.Mode}";

    private static string Selector(PolicyKey key) => $"src {key.Source} dst {key.Destination}{(key.Upper is null ? "" : " " + key.Upper)}";

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
