namespace BranchConnector.Agent.Doctor;

/// <summary>One diagnostic: gathers its facts through the inputs it was built with, returns one or more lines.</summary>
public interface IDoctorCheck
{
    Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct);
}
