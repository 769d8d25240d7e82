// The agent runs on Linux branch boxes only; this lets the platform analyzer accept Unix file modes and signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
