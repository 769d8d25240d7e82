using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Tools;

public class SecretRedactorTests
{
    private const string Key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

    [Theory]
    [InlineData("PrivateKey = " + Key, "PrivateKey = [redacted]")]
    [InlineData("  PresharedKey=" + Key, "  PresharedKey=[redacted]")]
    [InlineData("Line unrecognized: `PrivateKey=" + Key + "'", "Line unrecognized: `PrivateKey=[redacted]'")]
    [InlineData("Key is not the correct length or format: `" + Key + "'", "Key is not the correct length or format: `[redacted]'")]
    [InlineData("PublicKey = " + Key, "PublicKey = " + Key)]
    public void Redacts_wireguard_keys_wherever_wg_echoes_them(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.Redact(text));
}
