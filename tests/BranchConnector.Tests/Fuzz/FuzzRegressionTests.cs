using BranchConnector.Agent.Protocol;
using BranchConnector.Fuzz;

namespace BranchConnector.Tests.Fuzz;

/// <summary>
/// Replays the fuzzing seed corpora and every input a fuzzing run ever crashed or hung on
/// (tests/BranchConnector.Fuzz/regressions/TARGET/) through the same target functions afl++ runs.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fuzz");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "regressions" })
            foreach (var target in FuzzTargets.All.Keys)
            {
                var dir = Path.Combine(Root, kind, target);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal)) data.Add(target, Path.GetRelativePath(Root, file));
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Each_input_gives_a_result_or_a_validation_error(string target, string file) =>
        FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(Root, file)));

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in FuzzTargets.All.Keys)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Root, "corpus", target)));
    }

    [Theory]
    [InlineData("full.json")]
    [InlineData("wg-only.json")]
    [InlineData("static.json")]
    [InlineData("firewall.json")]
    public void The_batch_seeds_are_valid_documents_so_fuzzing_starts_deep(string seed)
    {
        var result = BatchDecoder.Decode(File.ReadAllBytes(Path.Combine(Root, "corpus", "batch", seed)));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void The_peering_seeds_are_valid_documents()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "corpus", "peering")))
            Assert.True(PeeringDecoder.Decode(File.ReadAllBytes(file)).IsValid, file);
    }
}
