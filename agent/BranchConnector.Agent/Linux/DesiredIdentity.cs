namespace BranchConnector.Agent.Linux;

/// <summary>Planners key desired objects by the identity the kernel gives them (a route's destination, table and metric; an SA's SPI).</summary>
public static class DesiredIdentity
{
    /// <summary>
    /// Identical duplicates (the same object asked for twice) collapse; two different objects with one identity
    /// are a conflict the caller must refuse, reported with <paramref name="describe"/>.
    /// </summary>
    public static List<T> Distinct<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, string what, Func<T, string>? describe = null) where TKey : notnull
    {
        describe ??= item => item?.ToString() ?? "";
        var seen = new Dictionary<TKey, T>();
        var list = new List<T>();
        foreach (var item in items)
        {
            if (seen.TryGetValue(key(item), out var first))
            {
                if (!EqualityComparer<T>.Default.Equals(first, item))
                    throw new ArgumentException($"two different desired {what}s with the same identity {key(item)}: {describe(first)} and {describe(item)}");
                continue;
            }
            seen.Add(key(item), item);
            list.Add(item);
        }
        return list;
    }
}
