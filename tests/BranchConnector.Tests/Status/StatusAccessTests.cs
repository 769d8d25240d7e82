using BranchConnector.Agent.Status;

namespace BranchConnector.Tests.Status;

public sealed class StatusAccessTests
{
    private static readonly UnixAccounts Accounts = UnixAccounts.Parse(
        "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\ncarol:x:1002:990::/home/carol:/bin/sh\n",
        "root:x:0:\nbranch-connector:x:990:alice\nalice:x:1000:\nbob:x:1001:\n");

    [Fact]
    public void Root_may_do_anything() => Assert.Equal(StatusPermission.Full, StatusAccess.For(new PeerCredentials(1, 0, 0), Accounts));

    [Theory]
    [InlineData(1000u, 1000u)] // supplementary member in /etc/group
    [InlineData(1002u, 990u)]  // primary group
    [InlineData(4242u, 990u)]  // unknown user, but the process runs with the group's gid
    public void Group_members_may_read(uint uid, uint gid) =>
        Assert.Equal(StatusPermission.Read, StatusAccess.For(new PeerCredentials(1, uid, gid), Accounts));

    [Fact]
    public void Others_are_refused_with_a_clear_message()
    {
        var permission = StatusAccess.For(new PeerCredentials(1, 1001, 1001), Accounts);
        Assert.Equal(StatusPermission.None, permission);
        Assert.Equal("permission denied: uid 1001 is neither root nor in group branch-connector", StatusAccess.Refusal(permission, "status", 1001));
    }

    [Fact]
    public void Readers_may_not_change_state()
    {
        Assert.Null(StatusAccess.Refusal(StatusPermission.Read, StatusRequest.Status, 1000));
        Assert.Contains("needs root", StatusAccess.Refusal(StatusPermission.Read, StatusRequest.ReconcileNow, 1000), StringComparison.Ordinal);
        Assert.Null(StatusAccess.Refusal(StatusPermission.Full, StatusRequest.ReconcileNow, 0));
    }

    [Fact]
    public void Without_the_group_nobody_but_root_gets_in()
    {
        var noGroup = UnixAccounts.Parse("alice:x:1000:1000::/:/bin/sh\n", "alice:x:1000:\n");
        Assert.Null(noGroup.GroupId(StatusAccess.GroupName));
        Assert.Equal(StatusPermission.None, StatusAccess.For(new PeerCredentials(1, 1000, 1000), noGroup));
    }
}
