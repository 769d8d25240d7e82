using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BranchConnector.Agent.Cli;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.BugReport;

/// <summary>
/// Gathers the bug report: status and doctor as JSON, agent.yaml, the agent's own kernel objects, the journal
/// tail, and a README naming what could not be had. Only reads: nothing on the box changes. Every file passes
/// <see cref="ReportRedactor"/> with the box's <see cref="KnownSecrets"/> before it is written.
/// </summary>
public sealed class BugReportBuilder(string configFile, ICommandRunner runner)
{
    public async Task<(IReadOnlyList<ReportFile> Files, IReadOnlyList<string> Missing, string Serial)> BuildAsync(DateTimeOffset at, CancellationToken ct)
    {
        var missing = new List<string>();
        var files = new List<ReportFile>();
        AgentSettings? settings = null;
        try
        {
            settings = AgentSettingsLoader.Load(configFile);
        }
        catch (ConfigException e)
        {
            missing.Add($"settings: {e.Message} (status, doctor and the tunnel devices need them)");
        }

        var secrets = new KnownSecrets();
        secrets.AddFromStateDir(settings?.StateDir ?? AgentSettingsLoader.DefaultStateDir);
        if (settings?.Broker.PasswordFile is { } passwordFile) secrets.Add(TryRead(passwordFile, missing, "broker password file (read only to redact it)"));

        if (TryRead(configFile, missing, "agent.yaml") is { } yaml) files.Add(new("agent.yaml", yaml));

        string? statusJson = null;
        if (settings is not null)
        {
            statusJson = await CaptureAsync("status.json", (o, e) => StatusCommand.RunAsync(configFile, json: true, check: null, o, e, ct), files, missing).ConfigureAwait(false);
            await CaptureAsync("doctor.json", (o, e) => DoctorCommand.RunAsync(configFile, json: true, o, e, ct), files, missing).ConfigureAwait(false);
        }

        var devices = OwnedDevices(settings, statusJson);
        FirewallBackend? firewall = null;
        if (settings?.Firewall.Manage != false)
            firewall = (await FirewallBackendDetector.DetectAsync(runner, settings?.Firewall.Backend ?? FirewallBackendChoice.Auto, ct).ConfigureAwait(false)).Backend;
        files.AddRange(await new KernelObjects(runner).CollectAsync(devices, firewall, ct).ConfigureAwait(false));

        var (journal, journalMissing) = await new JournalTail(runner).ReadAsync(ct).ConfigureAwait(false);
        if (journal is not null) files.Add(new("journal.txt", journal));
        if (journalMissing is not null) missing.Add(journalMissing);

        files.Insert(0, new("README.txt", Readme(settings, at, files, missing)));
        var redacted = files.Select(f => f with { Content = ReportRedactor.Redact(f.Content, secrets) })
            // Redaction removes every known value; this only guards against a future change breaking that.
            .Select(f => secrets.Leaks(f.Content) ? f with { Content = "withheld: a secret could not be redacted from this file\n" } : f)
            .ToList();
        return (redacted, missing, settings?.Serial ?? "unknown");
    }

    /// <summary>Runs a command's JSON output into a file; its stderr (e.g. "showing the last snapshot") goes to the README.</summary>
    private static async Task<string?> CaptureAsync(string name, Func<TextWriter, TextWriter, Task<int>> run, List<ReportFile> files, List<string> missing)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await run(output, error).ConfigureAwait(false);
        var text = output.ToString();
        if (text.Length > 0) files.Add(new(name, text));
        var problem = error.ToString().Trim();
        if (text.Length == 0) missing.Add($"{name}: {(problem.Length > 0 ? problem : $"no output (exit {exit})")}");
        else if (problem.Length > 0) missing.Add($"{name}: {problem}");
        return text.Length > 0 ? text : null;
    }

    /// <summary>The ownership journal's devices plus the tunnels status names (a device the journal lost is still shown).</summary>
    private static List<string> OwnedDevices(AgentSettings? settings, string? statusJson)
    {
        var devices = new SortedSet<string>(StringComparer.Ordinal);
        var journal = settings is null ? null : Path.Combine(settings.StateDir, "ownership.json");
        try
        {
            if (journal is not null && File.Exists(journal)
                && JsonSerializer.Deserialize(File.ReadAllBytes(journal), OwnershipJsonContext.Default.OwnershipRecord) is { } record)
                devices.UnionWith(record.Devices);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Read-only here: a broken journal is the daemon's to set aside; status still names the tunnels.
        }
        try
        {
            if (statusJson is not null && JsonNode.Parse(statusJson)?["tunnels"] is JsonArray tunnels)
                devices.UnionWith(tunnels.Select(t => t?["interface"]?.GetValue<string>()).OfType<string>());
        }
        catch (JsonException)
        {
        }
        return [.. devices];
    }

    private static string Readme(AgentSettings? settings, DateTimeOffset at, List<ReportFile> files, List<string> missing)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{AgentInfo.ProgramName} {AgentInfo.Version} bug report\n")
            .Append(CultureInfo.InvariantCulture, $"serial: {settings?.Serial ?? "unknown"}\nhost: {Environment.MachineName}\ncreated: {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n")
            .Append("Every secret (WireGuard private and preshared keys, IPSec keys, the broker password) is replaced by ")
            .Append(SecretRedactor.Marker).Append(".\n\nfiles:\n");
        foreach (var f in files) text.Append("  ").Append(f.Name).Append('\n');
        text.Append("\nmissing:\n");
        if (missing.Count == 0) text.Append("  nothing\n");
        foreach (var m in missing) text.Append("  ").Append(m.Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
        return text.ToString();
    }

    private static string? TryRead(string path, List<string> missing, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            missing.Add($"{what}: cannot read {path}: {e.Message}");
            return null;
        }
    }
}
