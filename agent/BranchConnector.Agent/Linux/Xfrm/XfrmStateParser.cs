using System.Globalization;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// Reads `ip xfrm state` (text), keeping only ESP states with a reqid in <see cref="XfrmBands"/> and no mark
/// or if_id. The output prints every key ("aead NAME 0xKEY ICV"): the key is turned into a digest at once and
/// never stored in a parsed record. The "anti-replay context" lines give the outbound sequence number the
/// agent records (<see cref="SaSequences"/>).
/// </summary>
public static class XfrmStateParser
{
    public static readonly CommandRequest Request = CommandRequest.Of("ip", "xfrm", "state", "list");

    /// <summary>For readers that need no key digest (the sequence recorder): the keys never leave the kernel.</summary>
    public static readonly CommandRequest RequestWithoutKeys = CommandRequest.Of("ip", "xfrm", "state", "list", "nokeys");

    public static IReadOnlyList<ObservedSa> Parse(string text)
    {
        var states = new List<ObservedSa>();
        foreach (var (head, details) in XfrmText.Blocks(text))
        {
            var (source, destination, _) = XfrmText.SourceDestination(head);
            string? proto = null, mode = null, aead = null, keyDigest = null;
            uint spi = 0, reqid = 0;
            int? icv = null;
            SaEncap? encap = null;
            var foreign = false;
            uint? oseq = null, oseqHi = null, iseq = null, iseqHi = null;
            var esn = false;
            int legacyWindow = 0;
            int? esnWindow = null;
            var unmodeled = new List<string>();
            foreach (var line in details)
            {
                var w = XfrmText.Words(line);
                switch (w[0])
                {
                    case "proto":
                        proto = w[1];
                        spi = XfrmText.Value(w, "spi") is { } s ? XfrmText.Number(s) : 0;
                        reqid = XfrmText.Value(w, "reqid") is { } r ? XfrmText.Number(r) : 0;
                        mode = XfrmText.Value(w, "mode");
                        break;
                    case "aead" when w.Length >= 4:
                        // `list nokeys` prints "<<Keys hidden>>" where the key would be.
                        aead = w[1];
                        keyDigest = w[2].StartsWith("0x", StringComparison.Ordinal) ? XfrmKeyDigest.Of(w[2]) : null;
                        icv = int.Parse(w[^1], CultureInfo.InvariantCulture);
                        break;
                    case "enc" or "auth" or "auth-trunc" or "comp" or "aead":
                        unmodeled.Add(w[0] + " " + (w.Length > 1 ? w[1] : ""));
                        break;
                    case "encap":
                        encap = new SaEncap(
                            XfrmText.Value(w, "type") ?? "",
                            int.Parse(XfrmText.Value(w, "sport") ?? "0", CultureInfo.InvariantCulture),
                            int.Parse(XfrmText.Value(w, "dport") ?? "0", CultureInfo.InvariantCulture));
                        break;
                    case "replay-window":
                        legacyWindow = int.Parse(w[1], CultureInfo.InvariantCulture);
                        esn |= Array.IndexOf(w, "esn") > 0;
                        break;
                    case "flag":
                        esn |= Array.IndexOf(w, "esn") > 0;
                        break;
                    case "replay_window":
                        esnWindow = int.Parse(w[1].TrimEnd(','), CultureInfo.InvariantCulture);
                        break;
                    case "anti-replay" or "seq-hi" or "oseq-hi":
                        // "anti-replay context: seq 0x0, oseq 0x1a, bitmap 0x0" or, with ESN, "seq-hi 0x0, seq 0x0,
                        // oseq-hi 0x0, oseq 0x18" on the line after "anti-replay esn context:" (some versions: same line).
                        if (XfrmText.Value(w, "oseq") is { } lo) oseq = XfrmText.Number(lo.TrimEnd(','));
                        if (XfrmText.Value(w, "oseq-hi") is { } hi) oseqHi = XfrmText.Number(hi.TrimEnd(','));
                        if (XfrmText.Value(w, "seq") is { } rlo) iseq = XfrmText.Number(rlo.TrimEnd(','));
                        if (XfrmText.Value(w, "seq-hi") is { } rhi) iseqHi = XfrmText.Number(rhi.TrimEnd(','));
                        break;
                    case "mark" or "if_id":
                        foreign = true;
                        break;
                }
            }
            if (foreign || proto != "esp" || !XfrmBands.ContainsReqid(reqid)) continue;
            states.Add(new ObservedSa(IpText.Address(source), IpText.Address(destination), spi, reqid, mode ?? "", aead, keyDigest, icv, encap)
            {
                Unmodeled = unmodeled.Count == 0 ? null : string.Join(", ", unmodeled),
                OutboundSequence = oseq is { } low ? ((ulong)(oseqHi ?? 0) << 32) | low : null,
                InboundSequence = iseq is { } rlow ? ((ulong)(iseqHi ?? 0) << 32) | rlow : null,
                Esn = esn,
                ReplayWindow = esnWindow ?? legacyWindow,
            });
        }
        return states;
    }
}
