namespace BranchConnector.Agent.BugReport;

/// <summary>One text file of the bug report, by its path inside the archive.</summary>
public sealed record ReportFile(string Name, string Content);
