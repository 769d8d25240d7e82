using BranchConnector.Agent.Desired;
using System.Globalization;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// A policy rule the agent wants. Priority must be inside <see cref="RuleBand"/>. From/To are canonical CIDR
/// (null: all). A rule is identified by all of its fields: a different rule is a delete and an add.
/// </summary>
public sealed record DesiredRule(int Priority, string? From, string? To, int? Table, uint? Fwmark, bool Invert, int? SuppressPrefixLength, IpFamily Family)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }

    public DesiredRule Canonical() => this with
    {
        From = From is null ? null : IpText.Network(From),
        To = To is null ? null : IpText.Network(To),
    };

    /// <summary>Selectors and action in `ip rule` syntax, without the verb: "priority 5181 not fwmark 0xca6c table 51820".</summary>
    public string Selector()
    {
        var parts = new List<string> { "priority", Priority.ToString(CultureInfo.InvariantCulture) };
        if (Invert) parts.Add("not");
        if (From is not null) parts.AddRange(["from", From]);
        if (To is not null) parts.AddRange(["to", To]);
        if (Fwmark is uint mark) parts.AddRange(["fwmark", "0x" + mark.ToString("x", CultureInfo.InvariantCulture)]);
        if (Table is int table) parts.AddRange(["table", table.ToString(CultureInfo.InvariantCulture)]);
        if (SuppressPrefixLength is int suppress) parts.AddRange(["suppress_prefixlength", suppress.ToString(CultureInfo.InvariantCulture)]);
        return string.Join(' ', parts);
    }

    public override string ToString() => (Family == IpFamily.V6 ? "-6 " : "") + Selector();
}
