namespace BranchConnector.Agent.Doctor;

public enum Verdict { Ok, Warn, Fail }

/// <summary>One line of `doctor`: what was checked, the verdict, what was found, and what to do about it.</summary>
public sealed record CheckResult(string Check, Verdict Verdict, string Detail, string? Hint)
{
    public static CheckResult Ok(string check, string detail) => new(check, Verdict.Ok, detail, null);
    public static CheckResult Warn(string check, string detail, string hint) => new(check, Verdict.Warn, detail, hint);
    public static CheckResult Fail(string check, string detail, string hint) => new(check, Verdict.Fail, detail, hint);

    public string VerdictText => Verdict switch { Verdict.Ok => "ok", Verdict.Warn => "warn", _ => "fail" };
}
