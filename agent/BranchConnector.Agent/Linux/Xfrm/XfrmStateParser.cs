using System.Globalization;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// Reads `ip xfrm state` (text), keeping only ESP states with a reqid in <see cref="XfrmBands"/> and no mark
/// or if_id. The output prints every key ("aead NAME 0xKEY ICV"): the key is turned into a digest at once and
/// never stored in a parsed record.
/// </summary>
public static class XfrmStateParser
{
    public static readonly CommandRequest Request = CommandRequest.Of("ip", "xfrm", "state", "list");

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
                        aead = w[1];
                        keyDigest = XfrmKeyDigest.Of(w[2]);
                        icv = int.Parse(w[3], CultureInfo.InvariantCulture);
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
                    case "mark" or "if_id":
                        foreign = true;
                        break;
                }
            }
            if (foreign || proto != "esp" || !XfrmBands.ContainsReqid(reqid)) continue;
            states.Add(new ObservedSa(IpText.Address(source), IpText.Address(destination), spi, reqid, mode ?? "", aead, keyDigest, icv, encap)
            {
                Unmodeled = unmodeled.Count == 0 ? null : string.Join(", ", unmodeled),
            });
        }
        return states;
    }
}
