using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace BranchConnector.Agent.BugReport;

/// <summary>Writes the report as one tar.gz, 0600 (it maps the box's network), through a temp file renamed into place.</summary>
public static class ReportArchive
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAsync(string path, string folder, IReadOnlyList<ReportFile> files, DateTimeOffset at, CancellationToken ct)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        try
        {
            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                var gzip = new GZipStream(stream, CompressionLevel.Optimal);
                await using (gzip.ConfigureAwait(false))
                {
                    var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
                    await using (tar.ConfigureAwait(false))
                    {
                        foreach (var file in files)
                        {
                            var entry = new PaxTarEntry(TarEntryType.RegularFile, $"{folder}/{file.Name}")
                            {
                                Mode = OwnerOnly,
                                ModificationTime = at,
                                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(file.Content)),
                            };
                            await tar.WriteEntryAsync(entry, ct).ConfigureAwait(false);
                        }
                    }
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
