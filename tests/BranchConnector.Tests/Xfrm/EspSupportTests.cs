using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Xfrm;

public class EspSupportTests
{
    [Theory]
    [InlineData("Error: Requested AEAD algorithm not found.\n")] // this machine's kernel (no esp4, no gcm)
    [InlineData("Error: Requested type not found.\n")]
    [InlineData("RTNETLINK answers: Protocol not supported\n")]
    public void Esp_less_kernel_errors_are_named(string stderr) =>
        Assert.StartsWith(EspSupport.MissingMessage, EspSupport.ExplainFailure(stderr));

    [Fact]
    public void Other_failures_are_not_blamed_on_esp() =>
        Assert.Null(EspSupport.ExplainFailure("RTNETLINK answers: File exists\n"));

    [Fact]
    public void The_probe_runs_in_a_private_namespace_through_stdin()
    {
        Assert.Equal("unshare --net ip -batch -", EspSupport.ProbeRequest.CommandLine);
        Assert.StartsWith("xfrm state add ", EspSupport.ProbeRequest.Stdin);
        Assert.False(EspSupport.ProbeRequest.Mutates);
    }

    [Theory]
    [InlineData("xfrm state add src a dst b proto esp spi 1 aead 'rfc4106(gcm(aes))' 0xAbCdEf0123 128 encap espinudp 4500 4500 0.0.0.0", "aead 'rfc4106(gcm(aes))' [redacted] 128")]
    [InlineData("\taead rfc4106(gcm(aes)) 0x6ad2a89ad3ff0c5c 128", "aead rfc4106(gcm(aes)) [redacted] 128")]
    [InlineData("\tenc cbc(aes) 0xf07963ea41e43e96", "enc cbc(aes) [redacted]")]
    [InlineData("\tauth-trunc hmac(sha1) 0xc2ee36f1aa6d 96", "auth-trunc hmac(sha1) [redacted] 96")]
    public void Xfrm_keys_are_redacted(string text, string expected)
    {
        var redacted = SecretRedactor.Redact(text);
        Assert.Contains(expected, redacted);
        Assert.DoesNotMatch("0x[0-9a-fA-F]{10}", redacted);
    }
}
