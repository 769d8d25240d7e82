using BranchConnector.Agent.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace BranchConnector.Tests.Status;

/// <summary>The server and client over a real socket in a temp folder (the test runs as root, so it may do anything).</summary>
public sealed class StatusServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bc-status-").FullName;

    private sealed class FakeProvider : IStatusProvider
    {
        public int Reconciles;
        public Task<StatusSnapshot> SnapshotAsync(CancellationToken ct) => Task.FromResult(StatusSamples.Active());
        public Task<string> ReconcileNowAsync(CancellationToken ct) => Task.FromResult($"reconciled {++Reconciles}");
    }

    [Fact]
    public async Task Serves_status_and_reconcile_and_removes_the_socket_at_stop()
    {
        var provider = new FakeProvider();
        var path = Path.Combine(_dir, StatusServer.SocketFileName);
        using var stop = new CancellationTokenSource();
        var server = new StatusServer(provider, path, NullLogger.Instance, () => UnixAccounts.Parse("", "")).RunAsync(stop.Token);
        for (var i = 0; i < 100 && !File.Exists(path); i++) await Task.Delay(20);

        Assert.Equal(SocketFileAccess.Mode, File.GetUnixFileMode(path));
        var status = await StatusClient.AskAsync(path, StatusRequest.Status, CancellationToken.None);
        Assert.True(status.Ok, status.Error);
        Assert.Equal("BC-0001", status.Status!.Serial);
        var reconcile = await StatusClient.AskAsync(path, StatusRequest.ReconcileNow, CancellationToken.None);
        Assert.Equal("reconciled 1", reconcile.Result);
        var unknown = await StatusClient.AskAsync(path, "format-disk", CancellationToken.None);
        Assert.False(unknown.Ok);
        Assert.Contains("unknown request", unknown.Error, StringComparison.Ordinal);

        await stop.CancelAsync();
        await server;
        Assert.False(File.Exists(path));
        var down = await Assert.ThrowsAsync<StatusClientException>(() => StatusClient.AskAsync(path, StatusRequest.Status, CancellationToken.None));
        Assert.Equal(StatusClientFailure.NotRunning, down.Failure);
    }

    /// <summary>Counts snapshots and holds each one until released, so requests can pile up behind it.</summary>
    private sealed class SlowProvider : IStatusProvider
    {
        public int Snapshots;
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public async Task<StatusSnapshot> SnapshotAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref Snapshots);
            await Release.Task.WaitAsync(ct);
            return StatusSamples.Active();
        }
        public Task<string> ReconcileNowAsync(CancellationToken ct) => Task.FromResult("reconciled");
    }

    [Fact]
    public async Task Concurrent_requests_share_one_snapshot_and_a_silent_client_blocks_no_one()
    {
        var provider = new SlowProvider();
        var path = Path.Combine(_dir, StatusServer.SocketFileName);
        using var stop = new CancellationTokenSource();
        var server = new StatusServer(provider, path, NullLogger.Instance, () => UnixAccounts.Parse("", "")).RunAsync(stop.Token);
        for (var i = 0; i < 100 && !File.Exists(path); i++) await Task.Delay(20);

        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await silent.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        var asks = Enumerable.Range(0, 40).Select(_ => StatusClient.AskAsync(path, StatusRequest.Status, CancellationToken.None)).ToList();
        for (var i = 0; i < 100 && Volatile.Read(ref provider.Snapshots) == 0; i++) await Task.Delay(20);
        await Task.Delay(200);
        provider.Release.SetResult();
        var replies = await Task.WhenAll(asks).WaitAsync(TimeSpan.FromSeconds(4));

        Assert.All(replies, r => Assert.True(r.Ok, r.Error));
        // Requests that arrived while the first snapshot was running shared it; only late arrivals start a second.
        Assert.InRange(provider.Snapshots, 1, 2);
        await stop.CancelAsync();
        await server;
    }

    [Fact]
    public async Task An_oversized_request_is_refused_by_name()
    {
        var path = Path.Combine(_dir, StatusServer.SocketFileName);
        using var stop = new CancellationTokenSource();
        var server = new StatusServer(new FakeProvider(), path, NullLogger.Instance, () => UnixAccounts.Parse("", "")).RunAsync(stop.Token);
        for (var i = 0; i < 100 && !File.Exists(path); i++) await Task.Delay(20);

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        await socket.SendAsync(new byte[StatusServer.MaxRequestBytes + 100].Select(_ => (byte)'x').ToArray(), System.Net.Sockets.SocketFlags.None);
        var buffer = new byte[4096];
        var n = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None);
        var reply = System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        Assert.Contains("\"ok\":false", reply, StringComparison.Ordinal);
        Assert.Contains("request too large", reply, StringComparison.Ordinal);
        await stop.CancelAsync();
        await server;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
