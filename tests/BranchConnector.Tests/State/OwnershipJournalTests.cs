using BranchConnector.Agent.State;

namespace BranchConnector.Tests.State;

public class OwnershipJournalTests
{
    [Fact]
    public async Task Records_survive_a_reload()
    {
        var dir = Directory.CreateTempSubdirectory("bc-journal-").FullName;
        try
        {
            var journal = new OwnershipJournal(dir);
            Assert.Null(await journal.LoadAsync(CancellationToken.None));
            await journal.SaveAsync(new OwnershipRecord(["wg0"], [new OwnedAddressEntry("lan0", "192.168.10.1/24")]), CancellationToken.None);

            var again = new OwnershipJournal(dir);
            Assert.Null(await again.LoadAsync(CancellationToken.None));
            Assert.Equal(["wg0"], again.Current.Devices);
            Assert.Equal(new OwnedAddressEntry("lan0", "192.168.10.1/24"), Assert.Single(again.Current.Addresses));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "ownership.json")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Changed_sysctls_survive_a_reload_and_an_older_journal_reads_as_none()
    {
        var dir = Directory.CreateTempSubdirectory("bc-journal-").FullName;
        try
        {
            var journal = new OwnershipJournal(dir);
            var entry = new BranchConnector.Agent.Linux.Routes.ChangedSysctl("net.ipv4.conf.all.src_valid_mark", "0", "1");
            await journal.SaveAsync(new OwnershipRecord(["wg0"], []) { Sysctls = [entry] }, CancellationToken.None);
            var again = new OwnershipJournal(dir);
            Assert.Null(await again.LoadAsync(CancellationToken.None));
            Assert.Equal(entry, Assert.Single(again.Current.Sysctls));
            Assert.Contains("\"sysctls\":[{\"key\":\"net.ipv4.conf.all.src_valid_mark\",\"original\":\"0\",\"set\":\"1\"}]",
                await File.ReadAllTextAsync(Path.Combine(dir, "ownership.json")), StringComparison.Ordinal);

            await File.WriteAllTextAsync(Path.Combine(dir, "ownership.json"), """{"devices":["wg0"],"addresses":[]}""");
            var old = new OwnershipJournal(dir);
            Assert.Null(await old.LoadAsync(CancellationToken.None));
            Assert.Empty(old.Current.Sysctls);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreadable_journal_is_set_aside_and_named()
    {
        var dir = Directory.CreateTempSubdirectory("bc-journal-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "ownership.json"), "journal");
            var journal = new OwnershipJournal(dir);
            var problem = await journal.LoadAsync(CancellationToken.None);
            Assert.NotNull(problem);
            Assert.Contains("ownership.json.corrupt", problem, StringComparison.Ordinal);
            Assert.Empty(journal.Current.Devices);
            Assert.True(File.Exists(Path.Combine(dir, "ownership.json.corrupt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
