using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Tests.WireGuard;

public class WgDumpParserTests
{
    private const string PrivateKey = "iHfW/pZxn/vwkfde6ax/+V/r1pqpcKtWjCeTt8+DmVU=";
    private const string PublicKey = "KVNhc15IETvc7G4+6FCb8qCYezs2u2X1iD1tD2Xg+Fc=";
    private const string PeerKey = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";

    [Fact]
    public void Parses_device_and_peer_lines_and_drops_the_private_key()
    {
        var dump = $"{PrivateKey}\t{PublicKey}\t51820\t0xca6c\n" +
                   $"{PeerKey}\t(none)\t203.0.113.10:51820\t10.0.0.0/8,0.0.0.0/0\t1700000000\t1234\t5678\t25\n";
        var device = WgDumpParser.Parse("wg0", dump);

        Assert.Equal(PublicKey, device.PublicKey);
        Assert.Equal(51820, device.ListenPort);
        Assert.Equal(0xca6cu, device.Fwmark);
        var peer = Assert.Single(device.Peers);
        Assert.Equal(PeerKey, peer.PublicKey);
        Assert.Null(peer.PresharedKeyDigest);
        Assert.Equal("203.0.113.10:51820", peer.Endpoint);
        Assert.Equal(["0.0.0.0/0", "10.0.0.0/8"], peer.AllowedIps);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), peer.LatestHandshake);
        Assert.Equal(1234, peer.RxBytes);
        Assert.Equal(5678, peer.TxBytes);
        Assert.Equal(25, peer.PersistentKeepalive);
        Assert.DoesNotContain(PrivateKey, device.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fresh_device_has_no_keys_and_no_handshake()
    {
        var device = WgDumpParser.Parse("wg0", "(none)\t(none)\t39411\toff\n");
        Assert.Null(device.PublicKey);
        Assert.Equal(0u, device.Fwmark);
        Assert.Empty(device.Peers);
    }

    [Fact]
    public void Preshared_key_is_kept_only_as_a_digest()
    {
        var psk = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";
        var device = WgDumpParser.Parse("wg0", $"{PrivateKey}\t{PublicKey}\t1\toff\n{PeerKey}\t{psk}\t(none)\t(none)\t0\t0\t0\toff\n");
        var peer = Assert.Single(device.Peers);
        Assert.Equal(WgDumpParser.Digest(psk), peer.PresharedKeyDigest);
        Assert.DoesNotContain(psk, device.ToString(), StringComparison.Ordinal);
        Assert.Null(peer.LatestHandshake);
        Assert.Empty(peer.AllowedIps);
    }

    [Fact]
    public void Garbage_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => WgDumpParser.Parse("wg0", ""));
        Assert.Throws<FormatException>(() => WgDumpParser.Parse("wg0", "a\tb\n"));
    }
}
