using System.Text;
using BranchConnector.Agent.State;

namespace BranchConnector.Tests.State;

public sealed class PersistenceHealthTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bc-persist-").FullName;

    [Fact]
    public async Task A_failed_save_is_recorded_keeps_the_old_file_whole_and_clears_on_the_next_success()
    {
        var health = new PersistenceHealth();
        var store = new StateStore(_dir, health);
        Assert.True(await store.SaveBatchAsync(Encoding.UTF8.GetBytes("{\"sequence\":1}"), CancellationToken.None));
        var mark = health.Mark();

        // A directory where the temp file must go makes the write fail the way a full disk does: with an IOException.
        var blocker = Path.Combine(_dir, $".batch.json.{Environment.ProcessId}.tmp");
        Directory.CreateDirectory(blocker);
        Assert.False(await store.SaveBatchAsync(Encoding.UTF8.GetBytes("{\"sequence\":2}"), CancellationToken.None));
        Assert.Equal("{\"sequence\":1}", await File.ReadAllTextAsync(store.BatchPath));
        Assert.False(File.Exists(store.BatchPath + ".bak"));
        var problem = Assert.Single(health.ProblemsSince(mark));
        Assert.StartsWith("state_dir: cannot save batch.json: ", problem, StringComparison.Ordinal);
        Assert.Single(health.Warnings);
        Assert.Empty(health.ProblemsSince(health.Mark()));

        Directory.Delete(blocker);
        Assert.True(await store.SaveBatchAsync(Encoding.UTF8.GetBytes("{\"sequence\":3}"), CancellationToken.None));
        Assert.Empty(health.Warnings);
        Assert.Equal("{\"sequence\":3}", await File.ReadAllTextAsync(store.BatchPath));
        Assert.Equal("{\"sequence\":1}", await File.ReadAllTextAsync(store.BatchPath + ".bak"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
