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

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
