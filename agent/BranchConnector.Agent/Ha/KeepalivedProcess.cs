using System.Globalization;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// Finds the keepalived this agent started, from its pid file: alive, really keepalived, and started with our
/// config file (a recycled pid of another program is not adopted).
/// </summary>
public static class KeepalivedProcess
{
    public static int? Find(HaPaths paths, string procRoot = "/proc")
    {
        if (!File.Exists(paths.MainPid)) return null;
        string text;
        try
        {
            text = File.ReadAllText(paths.MainPid).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1) return null;
        try
        {
            var cmdline = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline"));
            var args = cmdline.Split('\0');
            return args.Length > 0 && Path.GetFileName(args[0]) == "keepalived" && args.Contains(paths.Config) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid, string procRoot = "/proc") =>
        Directory.Exists(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture)));
}
