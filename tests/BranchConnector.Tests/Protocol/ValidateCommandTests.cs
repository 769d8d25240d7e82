using BranchConnector.Agent.Cli;
using static BranchConnector.Tests.Protocol.Docs;

namespace BranchConnector.Tests.Protocol;

public class ValidateCommandTests
{
    private static (int Exit, string Output) Run(byte[] payload)
    {
        var output = new StringWriter();
        var exit = ValidateCommand.Validate(payload, output);
        return (exit, output.ToString().Trim());
    }

    [Fact]
    public void Valid_batch() =>
        Assert.Equal((0, "valid batch: sequence 5, 2 commands"),
            Run(Batch("""[ { "index": 0, "topic": "monitoring", "body": {} }, { "index": 1, "topic": "acl", "body": {} } ]""", sequence: 5)));

    [Fact]
    public void Invalid_batch_prints_every_error()
    {
        var (exit, output) = Run(One("interface", """{ "interfaces": [ { "name": "-v" }, { "name": "lan0", "mtu": 1 } ] }"""));
        Assert.Equal(1, exit);
        var lines = output.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("invalid_field commands[0].body.interfaces[0].name: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("invalid_field commands[0].body.interfaces[1].mtu: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Peering_is_detected_by_groups()
    {
        Assert.Equal((0, "valid e2e-peering: sequence 7, 1 groups"), Run(Peering($"[{WgGroup(Member())}]")));
        var (exit, output) = Run(Peering($"[{WgGroup(Member()).Replace("mesh-peer", "hub")}]"));
        Assert.Equal(1, exit);
        Assert.StartsWith("not_allowed groups[0].role: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_through_the_command_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bc-validate-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{ not json");
            Assert.Equal(1, await CommandLineApp.RunAsync(["validate", path]));
            File.WriteAllBytes(path, Batch("[]"));
            Assert.Equal(0, await CommandLineApp.RunAsync(["validate", path]));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
