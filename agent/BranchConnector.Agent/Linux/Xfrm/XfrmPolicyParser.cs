using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// Reads `ip xfrm policy` (text: iproute2 ignores -j for xfrm), keeping only policies the agent could own:
/// priority in <see cref="XfrmBands"/>, ptype main, dir out/in/fwd, no mark or if_id (the agent never sets one,
/// so a marked policy is somebody else's even inside the band, and a delete by selector would miss it anyway).
/// </summary>
public static class XfrmPolicyParser
{
    public static readonly CommandRequest Request = CommandRequest.Of("ip", "xfrm", "policy", "list");

    public static IReadOnlyList<ObservedPolicy> Parse(string text)
    {
        var policies = new List<ObservedPolicy>();
        foreach (var (head, details) in XfrmText.Blocks(text))
        {
            var (source, destination, upper) = XfrmText.SourceDestination(head);
            PolicyDir? dir = null;
            uint priority = 0;
            var foreign = false;
            var unmodeled = new List<string>();
            var templates = new List<PolicyTemplate>();
            (string Source, string Destination)? openTemplate = null;
            foreach (var line in details)
            {
                var w = XfrmText.Words(line);
                switch (w[0])
                {
                    case "dir":
                        dir = w[1] switch { "out" => PolicyDir.Out, "in" => PolicyDir.In, "fwd" => PolicyDir.Fwd, _ => null };
                        foreign |= dir is null;
                        priority = XfrmText.Value(w, "priority") is { } p ? XfrmText.Number(p) : 0;
                        foreign |= XfrmText.Value(w, "ptype") is { } ptype && ptype != "main";
                        if (XfrmText.Value(w, "action") is { } action && action != "allow") unmodeled.Add("action " + action);
                        if (XfrmText.Value(w, "flag") is { } flag) unmodeled.Add("flag " + flag);
                        break;
                    case "mark" or "if_id":
                        foreign = true;
                        break;
                    case "tmpl":
                        var (ts, td, trest) = XfrmText.SourceDestination(string.Join(' ', w.Skip(1)));
                        if (trest is not null) unmodeled.Add("tmpl " + trest);
                        openTemplate = (ts, td);
                        break;
                    case "proto" when openTemplate is { } t:
                        templates.Add(new PolicyTemplate(t.Source, t.Destination, w[1],
                            XfrmText.Value(w, "reqid") is { } reqid ? XfrmText.Number(reqid) : 0, XfrmText.Value(w, "mode") ?? "transport"));
                        if (XfrmText.Value(w, "spi") is { } spi && XfrmText.Number(spi) != 0) unmodeled.Add("tmpl spi " + spi);
                        if (XfrmText.Value(w, "level") is { } level) unmodeled.Add("tmpl level " + level);
                        openTemplate = null;
                        break;
                    default:
                        unmodeled.Add(w[0]);
                        break;
                }
            }
            if (foreign || dir is null || !XfrmBands.ContainsPriority(priority)) continue;
            if (upper is not null) unmodeled.Add("selector " + upper);
            policies.Add(new ObservedPolicy(new PolicyKey(dir.Value, Canonical(source), Canonical(destination), upper), priority, templates)
            {
                Unmodeled = unmodeled.Count == 0 ? null : string.Join(", ", unmodeled),
            });
        }
        return policies;
    }

    private static string Canonical(string prefix) => IpText.Network(prefix, IpText.FamilyOf(prefix));
}
