using BranchConnector.Agent.Config;

namespace BranchConnector.Tests.Config;

public class BrokerPasswordReaderTests
{
    private const string Password = "s3cr3t-T0ken";

    private static AgentSettings SettingsWith(string? passwordFile)
    {
        var s = AgentSettingsLoader.Parse("serial: X\nbroker: { urls: [mqtt://h] }\n", "/etc/branch-connector/agent.yaml");
        return s with { Broker = s.Broker with { PasswordFile = passwordFile } };
    }

    [Fact]
    public void No_password_file_means_no_password() => Assert.Null(BrokerPasswordReader.Read(SettingsWith(null)));

    [Theory]
    [InlineData(Password + "\n")]
    [InlineData(Password + "\r\n")]
    [InlineData(Password)]
    public void One_trailing_newline_is_dropped(string content)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", content);
        Assert.Equal(Password, BrokerPasswordReader.Read(SettingsWith(file))!.Value);
    }

    [Fact]
    public void Only_one_newline_is_dropped()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", Password + "\n\n");
        Assert.Equal(Password + "\n", BrokerPasswordReader.Read(SettingsWith(file))!.Value);
    }

    [Fact]
    public void A_group_readable_file_is_accepted()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", Password, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Equal(Password, BrokerPasswordReader.Read(SettingsWith(file))!.Value);
    }

    [Theory]
    [InlineData(UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.OtherWrite, "0642")]
    public void A_file_open_to_everyone_is_refused_naming_file_and_mode(UnixFileMode other, string mode)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", Password, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | other);

        var message = Assert.Throws<ConfigException>(() => BrokerPasswordReader.Read(SettingsWith(file))).Message;

        Assert.Equal($"/etc/branch-connector/agent.yaml: broker.password_file: {file} has mode {mode}, open to everyone; make it 0600 or 0640", message);
        Assert.DoesNotContain(Password, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("token");
        Assert.Equal($"/etc/branch-connector/agent.yaml: broker.password_file: {file} does not exist",
            Assert.Throws<ConfigException>(() => BrokerPasswordReader.Read(SettingsWith(file))).Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", "\n");
        Assert.Equal($"/etc/branch-connector/agent.yaml: broker.password_file: {file} is empty",
            Assert.Throws<ConfigException>(() => BrokerPasswordReader.Read(SettingsWith(file))).Message);
    }

    [Fact]
    public void The_secret_does_not_print_its_value()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", Password);
        Assert.DoesNotContain(Password, $"{BrokerPasswordReader.Read(SettingsWith(file))}", StringComparison.Ordinal);
    }
}
