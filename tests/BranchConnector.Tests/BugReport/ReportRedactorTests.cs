using BranchConnector.Agent.BugReport;

namespace BranchConnector.Tests.BugReport;

public class ReportRedactorTests
{
    private const string PrivateKey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    private const string Preshared = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";
    private static readonly string IpsecKey = "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public void Known_values_are_cut_out_whatever_their_case_and_wherever_they_stand()
    {
        var secrets = new KnownSecrets();
        secrets.AddFromDocument(
            "{\"commands\":[{\"wireguard\":{\"hub\":{\"public_key\":\"pubpubpubpub\",\"preshared_key\":\"" + Preshared + "\"}}}],"
            + "\"groups\":[{\"links\":[{\"outbound\":{\"spi\":\"0x1\",\"key\":\"" + IpsecKey + "\"}}]}]}");
        secrets.Add(PrivateKey);
        secrets.Add("broker-password-1");
        var text = $"a {PrivateKey} b {Preshared} c 0x{IpsecKey.ToLowerInvariant()} d broker-password-1 e pubpubpubpub";

        var redacted = ReportRedactor.Redact(text, secrets);
        Assert.Equal("a [redacted] b [redacted] c 0x[redacted] d [redacted] e pubpubpubpub", redacted);
        Assert.Equal(4, secrets.Count);
        Assert.False(secrets.Leaks(redacted));
    }

    [Fact]
    public void Key_material_the_agent_does_not_know_is_caught_by_its_shape()
    {
        var none = new KnownSecrets();
        const string text = """
            interface: wg0
              private key: (hidden)
              preshared key: c29tZQ==
            src 192.0.2.2 dst 192.0.2.9
            	aead rfc4106(gcm(aes)) 0xfeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface 128
            broker:
              password: hunter2hunter2
              password_file: /etc/branch-connector/token
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
            -----END PRIVATE KEY-----
            """;
        var redacted = ReportRedactor.Redact(text, none);
        Assert.DoesNotContain("c29tZQ==", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("feedface", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIEvQ", redacted, StringComparison.Ordinal);
        Assert.Contains("password_file: /etc/branch-connector/token", redacted, StringComparison.Ordinal);
        Assert.Contains("src 192.0.2.2 dst 192.0.2.9", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_values_and_public_keys_are_not_treated_as_secrets()
    {
        var secrets = new KnownSecrets();
        secrets.AddFromDocument("""{"public_key":"PUBLICKEYPUBLICKEY","key":"short"}""");
        secrets.Add("abc");
        Assert.Equal(0, secrets.Count);
    }
}
