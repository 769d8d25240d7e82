using System.Net.Sockets;
using System.Text;

namespace BranchConnector.Agent.Status;

/// <summary>Why the daemon could not be asked.</summary>
public enum StatusClientFailure { NotRunning, PermissionDenied, BadReply }

public sealed class StatusClientException(StatusClientFailure failure, string message) : Exception(message)
{
    public StatusClientFailure Failure { get; } = failure;
}

/// <summary>The CLI side of the status socket.</summary>
public static class StatusClient
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    public static async Task<StatusReply> AskAsync(string socketPath, string request, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new StatusClientException(StatusClientFailure.PermissionDenied,
                $"permission denied: cannot connect to {socketPath}: uid {CurrentUid()} is neither root nor in group {StatusAccess.GroupName}");
        }
        catch (SocketException e)
        {
            throw new StatusClientException(StatusClientFailure.NotRunning, $"the agent is not running ({socketPath}: {e.Message})");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReplyTimeout);
        var line = StatusJson.Line(new StatusRequest(StatusRequest.Version, request, AgentInfo.Version)) + "\n";
        string text;
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(line), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) ?? "";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new StatusClientException(StatusClientFailure.BadReply, $"no reply from the agent on {socketPath}: {e.Message}");
        }
        return StatusJson.ParseReply(text)
            ?? throw new StatusClientException(StatusClientFailure.BadReply, $"the agent sent an unreadable reply: {Shorten(text)}");
    }

    private static string CurrentUid()
    {
        // /proc/self/status "Uid:\treal\teffective..." is the one place .NET can read it without P/Invoke.
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
                return line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        return "?";
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
