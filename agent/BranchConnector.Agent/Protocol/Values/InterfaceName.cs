namespace BranchConnector.Agent.Protocol.Values;

/// <summary>
/// Linux interface names the agent accepts: what dev_valid_name() allows (1..15 bytes, no '/', ':' or
/// whitespace, not "." or ".."), narrowed to printable ASCII letters, digits and `_ . @ + = -`, and not
/// starting with '-' so a name can never be read as an option by `ip` or `iptables`.
/// </summary>
public static class InterfaceName
{
    public const int MaxLength = 15;

    /// <summary>The problem with <paramref name="name"/>, or null when it is valid.</summary>
    public static string? Problem(string name)
    {
        var shown = Reading.Printable.Clip(name);
        if (name.Length == 0) return "interface name is empty";
        if (name.Length > MaxLength) return $"interface name '{shown}' is longer than {MaxLength} bytes";
        if (name is "." or "..") return $"interface name '{shown}' is not allowed";
        if (name[0] == '-') return $"interface name '{shown}' must not start with '-'";
        if (!name.All(IsAllowed)) return $"interface name '{shown}' may hold only letters, digits and _ . @ + = -";
        return null;
    }

    private static bool IsAllowed(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '.' or '@' or '+' or '=' or '-';
}
