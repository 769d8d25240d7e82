using BranchConnector.Agent.Linux.Xfrm;

namespace BranchConnector.Tests.Xfrm;

public class XfrmBandsTests
{
    [Fact]
    public void Reqids_are_stable_in_band_and_distinct()
    {
        var ids = Enumerable.Range(0, 3000).Select(i => $"link-{i}").ToArray();
        var a = XfrmBands.AssignReqids(ids);
        var b = XfrmBands.AssignReqids(ids.Reverse());
        Assert.Equal(a.OrderBy(p => p.Key, StringComparer.Ordinal), b.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.All(a.Values, r => Assert.True(XfrmBands.ContainsReqid(r)));
        Assert.Equal(ids.Length, a.Values.Distinct().Count()); // 3000 ids in 65536 slots collide somewhere; probing keeps them apart
    }

    [Fact]
    public void A_link_keeps_its_reqid_when_others_come_and_go()
    {
        var alone = XfrmBands.AssignReqids(["l-1"])["l-1"];
        Assert.Equal(alone, XfrmBands.AssignReqids(["l-0", "l-1", "l-2"])["l-1"]);
        Assert.Equal(0xbc000000u, alone & 0xffff0000u);
    }
}
