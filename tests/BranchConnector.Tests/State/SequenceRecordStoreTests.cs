using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.State;

namespace BranchConnector.Tests.State;

public sealed class SequenceRecordStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bc-seq-").FullName;
    private static readonly SaSequenceKey Out = new("l-1", SaDirection.Outbound, "198.51.100.9", 0xc001);
    private static readonly SaSequenceKey In = new("l-1", SaDirection.Inbound, "198.51.100.2", 0xc002);

    [Fact]
    public async Task Values_only_grow_survive_a_restart_and_the_file_holds_no_key()
    {
        var store = new SequenceRecordStore(_dir);
        Assert.Null(await store.LoadAsync(CancellationToken.None));
        Assert.False(store.LoadedAtStart);
        await store.RecordAsync(new Dictionary<SaSequenceKey, ulong> { [Out] = 0x1_4000_0000, [In] = 7 }, CancellationToken.None);
        await store.RecordAsync(new Dictionary<SaSequenceKey, ulong> { [Out] = 5 }, CancellationToken.None); // lower: ignored

        var again = new SequenceRecordStore(_dir);
        Assert.Null(await again.LoadAsync(CancellationToken.None));
        Assert.True(again.LoadedAtStart);
        Assert.Equal(0x1_4000_0000UL, again.Snapshot().Recorded[Out]);
        Assert.Equal(7UL, again.Snapshot().Recorded[In]);
        var text = await File.ReadAllTextAsync(again.FilePath);
        Assert.Contains("\"spi\": \"0x0000c001\"", text);
        Assert.DoesNotContain("key", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(again.FilePath));
    }

    [Fact]
    public async Task An_unreadable_record_is_set_aside_and_counts_as_absent()
    {
        var store = new SequenceRecordStore(_dir);
        await File.WriteAllTextAsync(store.FilePath, "{ torn");
        var problem = await store.LoadAsync(CancellationToken.None);
        Assert.NotNull(problem);
        Assert.Contains(".corrupt", problem);
        Assert.False(store.LoadedAtStart);
        Assert.Empty(store.Snapshot().Recorded);
        Assert.True(File.Exists(store.FilePath + ".corrupt"));
    }

    [Fact]
    public void Used_before_keeps_outbound_keys_and_a_new_rekey_need_is_announced_once()
    {
        var store = new SequenceRecordStore(_dir);
        store.MarkUsedBefore([Out, In]);
        Assert.Equal([Out], store.Snapshot().UsedBefore);
        var raised = 0;
        store.RekeyNeedsChanged += () => raised++;
        var need = new RekeyNeed("l-1", 0xc001, RekeyReasons.NoSequenceRecord);
        store.SetRekeyNeeds([need]);
        store.SetRekeyNeeds([need]);
        Assert.Equal(1, raised);
        store.SetRekeyNeeds([]);
        Assert.Empty(store.RekeyNeeds);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
