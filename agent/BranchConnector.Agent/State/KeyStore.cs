using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.State;

/// <summary>
/// WireGuard key pairs generated on the device (`wg genkey`, `wg pubkey` over stdin/stdout) and kept as
/// 0600 files under state_dir/keys. The private key never leaves this class except as a <see cref="Secret"/>.
/// </summary>
public sealed class KeyStore(string stateDir, ICommandRunner runner)
{
    private readonly string _dir = Path.Combine(stateDir, "keys");

    public string PrivateKeyPath(string name) => Path.Combine(_dir, name + ".key");
    private string PublicKeyPath(string name) => Path.Combine(_dir, name + ".pub");

    /// <summary>Returns the existing pair's public key, generating the pair first when there is none.</summary>
    public async Task<string> EnsureAsync(string name, CancellationToken ct)
    {
        if (File.Exists(PrivateKeyPath(name)) && File.Exists(PublicKeyPath(name)))
            return (await File.ReadAllTextAsync(PublicKeyPath(name), ct).ConfigureAwait(false)).Trim();
        return await GenerateAsync(name, ct).ConfigureAwait(false);
    }

    /// <summary>Makes a new pair, replacing any old one (rotate_keys).</summary>
    public async Task<string> GenerateAsync(string name, CancellationToken ct)
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var gen = await runner.RunAsync(CommandRequest.Of("wg", "genkey"), ct).ConfigureAwait(false);
        if (!gen.Succeeded) throw new InvalidOperationException($"key generation failed: {gen.Describe()}");
        var privateKey = gen.Stdout.Trim();
        var pub = await runner.RunAsync(new CommandRequest("wg", ["pubkey"]) { Stdin = privateKey + "\n", StdinIsSecret = true }, ct).ConfigureAwait(false);
        if (!pub.Succeeded) throw new InvalidOperationException($"public key derivation failed: {pub.Describe()}");
        var publicKey = pub.Stdout.Trim();
        await AtomicFile.WriteTextAsync(PrivateKeyPath(name), privateKey + "\n", ct).ConfigureAwait(false);
        await AtomicFile.WriteTextAsync(PublicKeyPath(name), publicKey + "\n", ct).ConfigureAwait(false);
        return publicKey;
    }

    public Secret ReadPrivateKey(string name) => new(File.ReadAllText(PrivateKeyPath(name)).Trim());

    public string? ReadPublicKey(string name) => File.Exists(PublicKeyPath(name)) ? File.ReadAllText(PublicKeyPath(name)).Trim() : null;

    /// <summary>decommission: the keys are gone for good.</summary>
    public void WipeAll()
    {
        if (!Directory.Exists(_dir)) return;
        foreach (var file in Directory.EnumerateFiles(_dir))
        {
            // Overwrite before unlinking so the key does not linger in a reused block.
            var length = new FileInfo(file).Length;
            File.WriteAllBytes(file, new byte[length]);
            File.Delete(file);
        }
        Directory.Delete(_dir);
    }
}
