using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Status;

/// <summary>
/// The local status API on `runtime_dir/agent.sock`: one JSON request line, one JSON reply line, then the
/// connection closes. The peer's kernel-reported credentials decide what it may ask (<see cref="StatusAccess"/>).
/// Every connection is served on its own, with a 5 s limit for its request line, so a client that connects and
/// never speaks (or trickles bytes) holds only its own connection; concurrent status requests share one
/// snapshot (<see cref="SharedSnapshot"/>).
/// </summary>
public sealed class StatusServer(IStatusProvider provider, string socketPath, ILogger logger, Func<UnixAccounts>? accounts = null)
{
    public const string SocketFileName = "agent.sock";
    public const int MaxRequestBytes = 4096;
    /// <summary>Room for a burst of clients (monitoring scripts started together) before connect() fails with EAGAIN.</summary>
    private const int Backlog = 512;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromMinutes(2);

    private readonly Func<UnixAccounts> _accounts = accounts ?? (() => UnixAccounts.Read());
    private readonly SharedSnapshot _snapshots = new(provider);

    public string SocketPath => socketPath;

    public async Task RunAsync(CancellationToken ct)
    {
        Socket listener;
        try
        {
            listener = Bind();
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            // The data plane matters more than the local status view: keep running without it.
            logger.LogError("status socket {Path}: {Message}; `branch-connector status` will fall back to the snapshot", socketPath, e.Message);
            return;
        }
        using var owned = listener;
        logger.LogInformation("status socket listening on {Path}", socketPath);
        var connections = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(ct).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Close();
            TryDelete(socketPath);
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private Socket Bind()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socketPath))!);
        // A leftover from a crash would make bind fail with EADDRINUSE.
        TryDelete(socketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(socketPath));
            var gid = SocketFileAccess.Apply(socketPath, _accounts().GroupId(StatusAccess.GroupName));
            if (gid is null) logger.LogInformation("group {Group} does not exist: the status socket is for root only", StatusAccess.GroupName);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                var peer = PeerCredentials.Of(client);
                var reply = await ReplyAsync(client, peer, ct).ConfigureAwait(false);
                var bytes = Encoding.UTF8.GetBytes(StatusJson.Line(reply) + "\n");
                await client.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                if (!ct.IsCancellationRequested) logger.LogDebug("status connection: {Message}", e.Message);
            }
        }
    }

    private async Task<StatusReply> ReplyAsync(Socket client, PeerCredentials peer, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        RequestLine read;
        try
        {
            read = await ReadLineAsync(client, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return StatusReply.Failed("no request line within 5 s");
        }
        if (read.TooLong)
        {
            logger.LogWarning("status socket: refused a request over {Max} bytes from uid {Uid} (pid {Pid})", MaxRequestBytes, peer.Uid, peer.Pid);
            return StatusReply.Failed($"request too large: more than {MaxRequestBytes} bytes without a newline");
        }
        var line = read.Line;
        var permission = StatusAccess.For(peer, _accounts());
        if (permission == StatusPermission.None)
        {
            logger.LogWarning("status socket: refused uid {Uid} (pid {Pid})", peer.Uid, peer.Pid);
            return StatusReply.Failed(StatusAccess.NotAllowed(peer.Uid));
        }
        if (line is null || StatusJson.ParseRequest(line) is not { } request)
            return StatusReply.Failed("bad request: expected one JSON object line {\"v\":1,\"request\":\"status\"}");
        if (request.V != StatusRequest.Version)
            return StatusReply.Failed($"unsupported protocol version {request.V}; this agent speaks v{StatusRequest.Version}");
        if (StatusAccess.Refusal(permission, request.Request, peer.Uid) is { } refusal)
            return StatusReply.Failed(refusal);
        try
        {
            switch (request.Request)
            {
                case StatusRequest.Status:
                    return new StatusReply(StatusRequest.Version, true, AgentInfo.Version, await _snapshots.GetAsync(ct, ct).ConfigureAwait(false), null, null);
                case StatusRequest.ReconcileNow:
                    using (var action = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        action.CancelAfter(ActionTimeout);
                        logger.LogInformation("status socket: reconcile requested by uid {Uid} (pid {Pid})", peer.Uid, peer.Pid);
                        return new StatusReply(StatusRequest.Version, true, AgentInfo.Version, null, await provider.ReconcileNowAsync(action.Token).ConfigureAwait(false), null);
                    }
                default:
                    return StatusReply.Failed($"unknown request '{request.Request}' (known: {StatusRequest.Status}, {StatusRequest.ReconcileNow})");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return StatusReply.Failed($"{request.Request} failed: {e.Message}");
        }
    }

    private readonly record struct RequestLine(string? Line, bool TooLong);

    /// <summary>Bytes up to the first newline (or the end of the stream); never reads more than <see cref="MaxRequestBytes"/>.</summary>
    private static async Task<RequestLine> ReadLineAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[MaxRequestBytes];
        var used = 0;
        while (used < buffer.Length)
        {
            var n = await client.ReceiveAsync(buffer.AsMemory(used), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) break;
            var newline = Array.IndexOf(buffer, (byte)'\n', used, n);
            used += n;
            if (newline >= 0) return new RequestLine(Encoding.UTF8.GetString(buffer, 0, newline), false);
        }
        if (used == buffer.Length) return new RequestLine(null, true);
        return new RequestLine(used == 0 ? null : Encoding.UTF8.GetString(buffer, 0, used), false);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
