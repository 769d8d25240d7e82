using System.Text;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Config;

/// <summary>
/// Reads the broker password from broker.password_file. The file must not be readable or writable by
/// everyone. Errors name the file and its mode, never its content.
/// </summary>
public static class BrokerPasswordReader
{
    private const UnixFileMode WorldAccess = UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>The password, or null when no password_file is set.</summary>
    public static Secret? Read(AgentSettings settings)
    {
        var path = settings.Broker.PasswordFile;
        if (path is null) return null;

        ConfigException Fail(string problem) => ConfigException.ForKey(settings.SourceFile, "broker.password_file", $"{path} {problem}");

        string text;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            // The agent runs on Linux only; the guard satisfies the platform analyzer.
            var mode = OperatingSystem.IsWindows() ? WorldAccess : File.GetUnixFileMode(handle);
            if ((mode & WorldAccess) != 0)
                throw Fail($"has mode {FormatMode(mode)}, open to everyone; make it 0600 or 0640");
            using var stream = new FileStream(handle, FileAccess.Read);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Fail("does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            throw Fail("cannot be read: permission denied");
        }
        catch (DecoderFallbackException)
        {
            throw Fail("is not UTF-8 text");
        }
        catch (IOException e)
        {
            // The message of an IOException names the path and the errno, not file content.
            throw Fail($"cannot be read: {e.Message}");
        }

        var password = StripOneNewline(text);
        if (password.Length == 0) throw Fail("is empty");
        return new Secret(password);
    }

    private static string StripOneNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;

    internal static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
}
