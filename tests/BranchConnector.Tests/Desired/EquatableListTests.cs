using BranchConnector.Agent.Desired;

namespace BranchConnector.Tests.Desired;

public class EquatableListTests
{
    [Fact]
    public void Lists_and_records_holding_them_compare_by_content()
    {
        EquatableList<string> a = ["10.0.0.0/8", "192.168.0.0/16"];
        EquatableList<string> b = new[] { "10.0.0.0/8", "192.168.0.0/16" };
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a == (EquatableList<string>)["10.0.0.0/8"]);
        Assert.Equal(new InterfaceSpec("lan0", a, 1500), new InterfaceSpec("lan0", b, 1500));
    }
}
