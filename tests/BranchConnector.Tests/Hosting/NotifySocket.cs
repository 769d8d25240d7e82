using System.Net.Sockets;
using System.Text;

namespace BranchConnector.Tests.Hosting;

/// <summary>Plays systemd's side of sd_notify: a real AF_UNIX datagram socket that collects the messages.</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _folder;

    private NotifySocket(string notifySocketValue, string bindPath, string? folder)
    {
        NotifySocketValue = notifySocketValue;
        _folder = folder;
        _socket.Bind(new UnixDomainSocketEndPoint(bindPath));
    }

    /// <summary>A socket file in a fresh temporary folder.</summary>
    public static NotifySocket InTempFolder()
    {
        var folder = Directory.CreateTempSubdirectory("bc-notify-").FullName;
        var path = Path.Combine(folder, "notify");
        return new NotifySocket(path, path, folder);
    }

    /// <summary>A Linux abstract socket, named "@..." in NOTIFY_SOCKET.</summary>
    public static NotifySocket Abstract()
    {
        var name = "bc-notify-test-" + Guid.NewGuid().ToString("N");
        return new NotifySocket("@" + name, "\0" + name, null);
    }

    /// <summary>What NOTIFY_SOCKET would hold.</summary>
    public string NotifySocketValue { get; }

    public async Task<string> ReceiveAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }
}
