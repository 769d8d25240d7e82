using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Routes;

public class SysctlPlannerTests
{
    private const string Key = "net.ipv4.conf.all.src_valid_mark";
    private static readonly DesiredSysctl On = new(Key, "1");

    private static Dictionary<string, string> Live(string value) => new() { [Key] = value };

    [Fact]
    public void A_setting_the_agent_changes_is_written_once_and_journaled_with_what_it_found()
    {
        var plan = SysctlPlanner.Plan([On], Live("0"), []);

        var command = Assert.Single(plan.Set.Commands);
        Assert.Equal("sysctl -q -w net.ipv4.conf.all.src_valid_mark=1", command.Request.CommandLine);
        Assert.False(command.IsRemoval);
        Assert.Empty(plan.Restore.Commands);
        Assert.Equal(new ChangedSysctl(Key, "0", "1"), Assert.Single(plan.OwnedBefore));
        Assert.Equal(new ChangedSysctl(Key, "0", "1"), Assert.Single(plan.OwnedAfter));
    }

    [Fact]
    public void A_setting_already_in_place_is_not_the_agents_and_is_never_restored()
    {
        var plan = SysctlPlanner.Plan([On], Live("1"), []);
        Assert.Empty(plan.Set.Commands);
        Assert.Equal(1, plan.Set.Unchanged);
        Assert.Empty(plan.OwnedAfter);

        var removed = SysctlPlanner.Plan([], Live("1"), plan.OwnedAfter);
        Assert.Empty(removed.Restore.Commands);
    }

    [Fact]
    public void No_longer_wanted_the_original_value_comes_back_and_the_entry_is_forgotten()
    {
        var plan = SysctlPlanner.Plan([], Live("1"), [new ChangedSysctl(Key, "0", "1")]);

        var command = Assert.Single(plan.Restore.Commands);
        Assert.Equal("sysctl -q -w net.ipv4.conf.all.src_valid_mark=0", command.Request.CommandLine);
        Assert.True(command.IsRemoval);
        Assert.Single(plan.OwnedBefore);
        Assert.Empty(plan.OwnedAfter);
    }

    [Fact]
    public void A_value_someone_else_wrote_after_the_agent_is_left_alone()
    {
        var plan = SysctlPlanner.Plan([], Live("2"), [new ChangedSysctl(Key, "0", "1")]);
        Assert.Empty(plan.Restore.Commands);
        Assert.Empty(plan.OwnedAfter);
    }

    [Fact]
    public void Drift_on_a_changed_setting_is_repaired_and_keeps_the_first_original()
    {
        var plan = SysctlPlanner.Plan([On], Live("0"), [new ChangedSysctl(Key, "0", "1")]);
        Assert.Equal(ChangeKind.Changed, Assert.Single(Assert.Single(plan.Set.Commands).Changes).Kind);
        Assert.Equal(new ChangedSysctl(Key, "0", "1"), Assert.Single(plan.OwnedAfter));

        var inPlace = SysctlPlanner.Plan([On], Live("1"), [new ChangedSysctl(Key, "0", "1")]);
        Assert.Empty(inPlace.Set.Commands);
        Assert.Equal(new ChangedSysctl(Key, "0", "1"), Assert.Single(inPlace.OwnedAfter));
    }

    [Fact]
    public void The_full_tunnel_wants_src_valid_mark_only_with_an_ipv4_default_route()
    {
        Assert.Equal([FullTunnel.SrcValidMark], FullTunnel.For("wg0", ["0.0.0.0/0", "::/0"])!.Sysctls);
        var v6Only = FullTunnel.For("wg0", ["::/0", "10.0.0.0/8"])!;
        Assert.Empty(v6Only.Sysctls);
        Assert.All(v6Only.Rules, r => Assert.Equal(BranchConnector.Agent.Linux.IpFamily.V6, r.Family));
        Assert.Equal("::/0", Assert.Single(v6Only.Routes).Destination);
        Assert.Null(FullTunnel.For("wg0", ["10.0.0.0/8"]));
    }

    [Fact]
    public async Task The_reader_takes_values_from_proc_sys_and_skips_what_it_cannot_read()
    {
        var root = Directory.CreateTempSubdirectory("bc-procsys-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "net/ipv4/conf/all"));
            await File.WriteAllTextAsync(Path.Combine(root, "net/ipv4/conf/all/src_valid_mark"), "1\n");
            var values = await new SysctlReader(root).ReadAsync([Key, "net.ipv4.nonexistent"], CancellationToken.None);
            Assert.Equal("1", Assert.Single(values).Value);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
