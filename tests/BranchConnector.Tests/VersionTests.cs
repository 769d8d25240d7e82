using BranchConnector.Agent;

namespace BranchConnector.Tests;

public class VersionTests
{
    [Fact]
    public void Version_is_semver_without_build_metadata()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", AgentInfo.Version);
    }
}
