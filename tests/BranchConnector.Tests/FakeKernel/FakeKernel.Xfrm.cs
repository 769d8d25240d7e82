using System.Globalization;
using System.Text;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>`ip xfrm state|policy` verbs in batch lines, and the text `ip xfrm … list` prints.</summary>
public sealed partial class FakeKernel
{
    private void XfrmState(List<string> w)
    {
        var verb = w[0];
        string? src = null, dst = null, proto = null, mode = null, aead = null, key = null, encap = null;
        uint spi = 0, reqid = 0;
        int icv = 0, sport = 0, dport = 0, window = 0;
        uint seq = 0, seqHi = 0, oseq = 0, oseqHi = 0;
        var esn = false;
        for (var i = 1; i < w.Count; i++)
        {
            switch (w[i])
            {
                case "src": src = Addr.Parse(w[++i]).ToString(); break;
                case "dst": dst = Addr.Parse(w[++i]).ToString(); break;
                case "proto": proto = w[++i]; break;
                case "spi": spi = Mark(w[++i]); break;
                case "reqid": reqid = Mark(w[++i]); break;
                case "mode": mode = w[++i]; break;
                case "aead": aead = w[++i]; key = w[++i]; icv = Int(w[++i]); break;
                case "encap": encap = w[++i]; sport = Int(w[++i]); dport = Int(w[++i]); Addr.Parse(w[++i]); break;
                case "replay-window": window = Int(w[++i]); break;
                case "replay-seq": seq = Mark(w[++i]); break;
                case "replay-seq-hi": seqHi = Mark(w[++i]); break;
                case "replay-oseq": oseq = Mark(w[++i]); break;
                case "replay-oseq-hi": oseqHi = Mark(w[++i]); break;
                case "flag":
                    if (w[++i] != "esn") throw new NotSupportedException($"fake kernel: xfrm state flag {w[i]}");
                    esn = true;
                    break;
                default: throw new NotSupportedException($"fake kernel: xfrm state option {w[i]}");
            }
        }
        if (src is null || dst is null || proto != "esp") throw new KernelError("Error: src, dst and proto esp are required.");
        var index = States.FindIndex(s => s.Destination == dst && s.Spi == spi && s.Mark is null);
        switch (verb)
        {
            case "add":
                if (aead is null || key is null || mode is null) throw new NotSupportedException("fake kernel: SA without aead or mode");
                if (index >= 0) throw new KernelError("RTNETLINK answers: File exists");
                if (!key.StartsWith("0x", StringComparison.Ordinal) || key.Length != 2 + 72) throw new KernelError("Error: aead key is wrong.");
                // The kernel refuses high sequence words without ESN (they would be dropped silently otherwise).
                if (!esn && (seqHi != 0 || oseqHi != 0)) throw new KernelError("Error: replay-seq-hi/replay-oseq-hi need flag esn.");
                States.Add(new FakeSa(src, dst, spi, reqid, mode, aead, key[2..], icv, encap, sport, dport)
                {
                    Esn = esn,
                    ReplayWindow = window,
                    InboundSequence = ((ulong)seqHi << 32) | seq,
                    OutboundSequence = ((ulong)oseqHi << 32) | oseq,
                });
                break;
            case "delete":
                if (index < 0 || States[index].Source != src) throw new KernelError("RTNETLINK answers: No such process");
                States.RemoveAt(index);
                break;
            default:
                throw new NotSupportedException($"fake kernel: xfrm state {verb}");
        }
    }

    private void XfrmPolicy(List<string> w)
    {
        var verb = w[0];
        if (w.Count < 5 || w[1] != "src" || w[3] != "dst") throw new KernelError("Error: selector expected.");
        var src = Addr.Network(w[2]);
        var dst = Addr.Network(w[4]);
        var i = 5;
        var upper = new List<string>();
        while (i < w.Count && w[i] != "dir") upper.Add(w[i++]);
        if (i + 1 >= w.Count) throw new KernelError("Error: dir is required.");
        var dir = w[++i];
        i++;
        uint priority = 0;
        var templates = new List<FakeTemplate>();
        while (i < w.Count)
        {
            switch (w[i])
            {
                case "priority": priority = Mark(w[++i]); i++; break;
                case "tmpl":
                    string? ts = null, td = null, tp = null, tm = null;
                    uint tr = 0;
                    i++;
                    while (i < w.Count && w[i] != "tmpl" && w[i] != "priority")
                    {
                        switch (w[i])
                        {
                            case "src": ts = Addr.Parse(w[++i]).ToString(); break;
                            case "dst": td = Addr.Parse(w[++i]).ToString(); break;
                            case "proto": tp = w[++i]; break;
                            case "reqid": tr = Mark(w[++i]); break;
                            case "mode": tm = w[++i]; break;
                            default: throw new NotSupportedException($"fake kernel: tmpl option {w[i]}");
                        }
                        i++;
                    }
                    templates.Add(new FakeTemplate(ts ?? "0.0.0.0", td ?? "0.0.0.0", tp ?? "esp", tr, tm ?? "transport"));
                    break;
                default: throw new NotSupportedException($"fake kernel: xfrm policy option {w[i]}");
            }
        }
        var policy = new FakePolicy(src, dst, upper.Count == 0 ? null : string.Join(' ', upper), dir, priority, templates);
        var index = Policies.FindIndex(p => p.Key == policy.Key);
        switch (verb)
        {
            case "add":
                if (index >= 0) throw new KernelError("RTNETLINK answers: File exists");
                Policies.Add(policy);
                break;
            case "update":
                if (index >= 0) Policies[index] = policy; else Policies.Add(policy);
                break;
            case "delete":
                if (index < 0) throw new KernelError("RTNETLINK answers: No such file or directory");
                Policies.RemoveAt(index);
                break;
            default:
                throw new NotSupportedException($"fake kernel: xfrm policy {verb}");
        }
    }

    private string XfrmStateText()
    {
        var t = new StringBuilder();
        foreach (var s in States)
        {
            t.Append("src ").Append(s.Source).Append(" dst ").Append(s.Destination).Append('\n');
            t.Append("\tproto esp spi 0x").Append(s.Spi.ToString("x8", CultureInfo.InvariantCulture))
             .Append(" reqid ").Append(s.Reqid.ToString(CultureInfo.InvariantCulture)).Append(" mode ").Append(s.Mode).Append('\n');
            // With ESN the kernel prints the window in the context block and 0 here, as iproute2 6.1 does.
            t.Append("\treplay-window ").Append((s.Esn ? 0 : s.ReplayWindow).ToString(CultureInfo.InvariantCulture)).Append(s.Esn ? " flag esn\n" : " \n");
            if (s.Mark is { } mark) t.Append("\tmark 0x").Append(mark.ToString("x", CultureInfo.InvariantCulture)).Append("/0xffffffff\n");
            t.Append("\taead ").Append(s.Aead).Append(" 0x").Append(s.KeyHex).Append(' ').Append(s.IcvBits.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (s.EncapType is { } type)
                t.Append("\tencap type ").Append(type).Append(" sport ").Append(s.EncapSport.ToString(CultureInfo.InvariantCulture))
                 .Append(" dport ").Append(s.EncapDport.ToString(CultureInfo.InvariantCulture)).Append(" addr 0.0.0.0\n");
            if (s.Esn)
            {
                t.Append("\tanti-replay esn context:\n");
                t.Append("\t seq-hi 0x").Append(Hex(s.InboundSequence >> 32)).Append(", seq 0x").Append(Hex(s.InboundSequence & 0xffffffff))
                 .Append(", oseq-hi 0x").Append(Hex(s.OutboundSequence >> 32)).Append(", oseq 0x").Append(Hex(s.OutboundSequence & 0xffffffff)).Append('\n');
                t.Append("\t replay_window ").Append(s.ReplayWindow.ToString(CultureInfo.InvariantCulture)).Append(", bitmap-length ")
                 .Append(((s.ReplayWindow + 31) / 32).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            else
            {
                t.Append("\tanti-replay context: seq 0x").Append(Hex(s.InboundSequence)).Append(", oseq 0x").Append(Hex(s.OutboundSequence))
                 .Append(", bitmap 0x00000000\n");
            }
            t.Append("\tsel src 0.0.0.0/0 dst 0.0.0.0/0 \n");
        }
        return t.ToString();
    }

    private static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);

    private string XfrmPolicyText()
    {
        var t = new StringBuilder();
        // The kernel lists the newest policy first.
        foreach (var p in Enumerable.Reverse(Policies))
        {
            t.Append("src ").Append(p.Source).Append(" dst ").Append(p.Destination);
            if (p.Upper is not null) t.Append(' ').Append(p.Upper);
            t.Append(" \n\tdir ").Append(p.Dir).Append(" priority ").Append(p.Priority.ToString(CultureInfo.InvariantCulture)).Append(" ptype main \n");
            if (p.Mark is { } mark) t.Append("\tmark 0x").Append(mark.ToString("x", CultureInfo.InvariantCulture)).Append("/0xffffffff \n");
            foreach (var tmpl in p.Templates)
            {
                t.Append("\ttmpl src ").Append(tmpl.Source).Append(" dst ").Append(tmpl.Destination).Append('\n');
                t.Append("\t\tproto ").Append(tmpl.Proto).Append(" reqid ").Append(tmpl.Reqid.ToString(CultureInfo.InvariantCulture))
                 .Append(" mode ").Append(tmpl.Mode).Append('\n');
            }
        }
        return t.ToString();
    }
}
