using System.Text;
using BranchConnector.Agent.Protocol;

namespace BranchConnector.Tests.Protocol;

public sealed class DocumentPeekTests
{
    [Theory]
    [InlineData("""{"v":1,"commands":[{"sequence":99}],"sequence":42,"config_hash":"ab"}""", 42L, "ab")]
    [InlineData("""{"sequence":7}""", 7L, null)]
    [InlineData("""{"sequence":-1,"config_hash":5}""", null, null)]
    [InlineData("""{"sequence":1.5}""", null, null)]
    [InlineData("""[1,2]""", null, null)]
    [InlineData("""{"sequence":3,""", null, null)]
    [InlineData("", null, null)]
    public void Reads_sequence_and_hash_without_validating(string json, long? sequence, string? hash)
    {
        // A cut-off document gives nothing: what was read before the break is not trusted.
        var peek = DocumentPeek.Read(Encoding.UTF8.GetBytes(json));
        Assert.Equal(sequence, peek.Sequence);
        Assert.Equal(hash, peek.ConfigHash);
    }
}
