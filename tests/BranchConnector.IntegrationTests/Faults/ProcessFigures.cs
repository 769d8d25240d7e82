using System.Globalization;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>What /proc says about one process: resident memory (now and peak), threads and open file descriptors.</summary>
public sealed record ProcessFigures(long RssKib, long PeakRssKib, int Threads, int FileDescriptors)
{
    public static ProcessFigures Read(int pid)
    {
        long rss = 0, hwm = 0;
        var threads = 0;
        foreach (var line in File.ReadAllLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kib(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kib(line);
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
        }
        return new ProcessFigures(rss, hwm, threads, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
    }

    private static long Kib(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RSS {RssKib / 1024.0:F1} MiB (peak {PeakRssKib / 1024.0:F1}), {Threads} threads, {FileDescriptors} fds");
}
