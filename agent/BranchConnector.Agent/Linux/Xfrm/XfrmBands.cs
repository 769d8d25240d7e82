using System.Text;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// What marks an xfrm object as the agent's: states carry a reqid in <see cref="ReqidFirst"/>..<see cref="ReqidLast"/>,
/// policies a priority in <see cref="PriorityFirst"/>..<see cref="PriorityLast"/>. Anything outside (an IKE
/// daemon's SAs, an administrator's policies) is never read into the plan, so never touched. See docs/xfrm.md.
/// </summary>
public static class XfrmBands
{
    public const uint ReqidFirst = 0xbc000000;
    public const uint ReqidLast = 0xbc00ffff;

    /// <summary>Below strongSwan/libreswan's computed priorities (100000+), above a bare `ip xfrm policy add` (0).</summary>
    public const uint PriorityFirst = 0xbc00;
    public const uint PriorityLast = 0xbc0f;

    /// <summary>The one priority every agent policy uses: remote subnets never overlap across links, so no ordering is needed.</summary>
    public const uint Priority = PriorityFirst;

    public static bool ContainsReqid(uint reqid) => reqid is >= ReqidFirst and <= ReqidLast;

    public static bool ContainsPriority(uint priority) => priority is >= PriorityFirst and <= PriorityLast;

    /// <summary>
    /// One reqid per link, stable across restarts and documents: the low 16 bits are FNV-1a of the link id.
    /// Links are taken in id order and a collision moves to the next free value, so the same set of ids
    /// always gets the same reqids.
    /// </summary>
    public static IReadOnlyDictionary<string, uint> AssignReqids(IEnumerable<string> linkIds)
    {
        var assigned = new Dictionary<string, uint>(StringComparer.Ordinal);
        var used = new HashSet<uint>();
        foreach (var id in linkIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var slot = Fnv1a(id) & 0xffff;
            while (!used.Add(ReqidFirst | slot)) slot = (slot + 1) & 0xffff;
            assigned[id] = ReqidFirst | slot;
        }
        return assigned;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = unchecked((hash ^ b) * 16777619u);
        return hash;
    }
}
