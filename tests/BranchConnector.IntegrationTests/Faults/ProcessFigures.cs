using System.Globalization;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// What /proc says about one process: resident memory (now and peak), threads and open file descriptors, the
/// descriptors also by kind (socket, pipe, anon_inode:[eventpoll], a file path…), so a leak check can tell a
/// leak from what comes and goes, and a failed one says what grew.
/// </summary>
public sealed record ProcessFigures(long RssKib, long PeakRssKib, int Threads, int FileDescriptors, IReadOnlyDictionary<string, int> FdKinds)
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
        var fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd");
        return new ProcessFigures(rss, hwm, threads, fds.Length, Kinds(fds, File.ResolveLinkTarget($"/proc/{pid}/exe", false)?.FullName));
    }

    /// <summary>Pipes of the tools the agent runs (three per child): as many as happen to be running when read.</summary>
    public int Pipes => FdKinds.GetValueOrDefault("pipe");

    /// <summary>
    /// Descriptors that neither come and go with child processes nor map the single-file binary (the runtime
    /// opens it once per assembly it loads lazily, a bounded number): sockets, epoll, files.
    /// </summary>
    public int Durable => FdKinds.Where(k => k.Key is not ("pipe" or Executable)).Sum(k => k.Value);

    private const string Executable = "(the agent's binary)";

    private static SortedDictionary<string, int> Kinds(string[] fds, string? exe)
    {
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var fd in fds)
        {
            string kind;
            try
            {
                var target = new FileInfo(fd).LinkTarget ?? "?";
                // socket:[12345] and pipe:[678] differ per descriptor: count them by kind only.
                kind = target == exe ? Executable : System.Text.RegularExpressions.Regex.Replace(target, @":\[\d+\]$", "");
            }
            catch (IOException)
            {
                kind = "(closed while read)";
            }
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        return kinds;
    }

    private static long Kib(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"RSS {RssKib / 1024.0:F1} MiB (peak {PeakRssKib / 1024.0:F1}), {Threads} threads, {FileDescriptors} fds ({string.Join(", ", FdKinds.Select(k => $"{k.Key} {k.Value}"))})");
}
