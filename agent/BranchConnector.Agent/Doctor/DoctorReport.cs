using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Doctor;

/// <summary>`doctor --json`: `{"ok":false,"checks":[{"check":"udp","verdict":"fail","detail":"…","hint":"…"}]}`.</summary>
public sealed record DoctorReport(bool Ok, IReadOnlyList<DoctorLine> Checks)
{
    public static DoctorReport From(IReadOnlyList<CheckResult> results) =>
        new(results.All(r => r.Verdict != Verdict.Fail), results.Select(r => new DoctorLine(r.Check, r.VerdictText, r.Detail, r.Hint)).ToList());

    public string Json() => JsonSerializer.Serialize(this, DoctorJsonContext.Default.DoctorReport);

    /// <summary>One aligned line per check, the hint indented below a warn or fail.</summary>
    public string Text()
    {
        var width = Checks.Count == 0 ? 0 : Checks.Max(c => c.Check.Length);
        var text = new StringBuilder();
        foreach (var c in Checks)
        {
            text.Append(c.Verdict.PadRight(5)).Append(c.Check.PadRight(width + 2)).Append(c.Detail).Append('\n');
            if (c.Hint is not null) text.Append(' ', 5 + width + 2).Append("hint: ").Append(c.Hint).Append('\n');
        }
        return text.ToString();
    }
}

public sealed record DoctorLine(string Check, string Verdict, string Detail, string? Hint);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(DoctorReport))]
internal sealed partial class DoctorJsonContext : JsonSerializerContext;
