namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>
/// A throwaway PKI made with the openssl tool in a temp folder: a CA, a server certificate for 127.0.0.1 and
/// localhost, a client certificate, and a second unrelated CA for "wrong CA" tests. Test data only.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }
    public string CaFile => Path.Combine(Directory, "ca.pem");
    public string ServerCertFile => Path.Combine(Directory, "server.pem");
    public string ServerKeyFile => Path.Combine(Directory, "server.key");
    public string ClientCertFile => Path.Combine(Directory, "client.pem");
    public string ClientKeyFile => Path.Combine(Directory, "client.key");
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    public static async Task<TestCertificates> CreateAsync(string clientCommonName = "test-client")
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("bc-pki-").FullName;
        var certs = new TestCertificates(dir);
        try
        {
            await MakeCaAsync(dir, "ca", "Test CA");
            await MakeCaAsync(dir, "other-ca", "Unrelated CA");
            await MakeLeafAsync(dir, "server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
            await MakeLeafAsync(dir, "client", clientCommonName, "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
            return certs;
        }
        catch
        {
            certs.Dispose();
            throw;
        }
    }

    private static Task MakeCaAsync(string dir, string name, string commonName) =>
        Sh.OkAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(dir, name + ".key"), "-out", Path.Combine(dir, name + ".pem"), "-days", "2", "-subj", "/CN=" + commonName);

    private static async Task MakeLeafAsync(string dir, string name, string commonName, string extensions)
    {
        var csr = Path.Combine(dir, name + ".csr");
        var ext = Path.Combine(dir, name + ".ext");
        await File.WriteAllTextAsync(ext, extensions);
        await Sh.OkAsync("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(dir, name + ".key"), "-out", csr, "-subj", "/CN=" + commonName);
        await Sh.OkAsync("openssl", "x509", "-req", "-in", csr, "-CA", Path.Combine(dir, "ca.pem"), "-CAkey", Path.Combine(dir, "ca.key"),
            "-set_serial", Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-days", "2", "-extfile", ext, "-out", Path.Combine(dir, name + ".pem"));
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
