using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux;

/// <summary>Planners key desired objects by the identity the kernel gives them (a route's destination, table and metric; an SA's SPI).</summary>
public static class DesiredIdentity
{
    /// <summary>
    /// Identical duplicates (the same kernel object asked for twice, from any origin) collapse to the first. Two
    /// different objects with one identity are a conflict: the reconciler refuses such an intent before planning
    /// (<see cref="Conflicts"/>), so here it is a caller's error.
    /// </summary>
    public static List<T> Distinct<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, Func<T, object> kernelObject, string what, Func<T, string>? describe = null)
        where TKey : notnull
    {
        var (list, conflicts) = Scan(items, key, kernelObject, what, describe, _ => null);
        return conflicts.Count == 0 ? list : throw new ArgumentException(conflicts[0].Message);
    }

    /// <summary>Every pair of different objects that share an identity, with the origins that asked for them.</summary>
    public static List<IntentConflict> Conflicts<T, TKey>(
        IEnumerable<T> items, Func<T, TKey> key, Func<T, object> kernelObject, string what, Func<T, Origin?> origin, Func<T, string>? describe = null)
        where TKey : notnull =>
        Scan(items, key, kernelObject, what, describe, origin).Conflicts;

    private static (List<T> List, List<IntentConflict> Conflicts) Scan<T, TKey>(
        IEnumerable<T> items, Func<T, TKey> key, Func<T, object> kernelObject, string what, Func<T, string>? describe, Func<T, Origin?> origin)
        where TKey : notnull
    {
        describe ??= item => kernelObject(item).ToString() ?? "";
        var seen = new Dictionary<TKey, T>();
        var list = new List<T>();
        var conflicts = new List<IntentConflict>();
        foreach (var item in items)
        {
            if (seen.TryGetValue(key(item), out var first))
            {
                if (!Equals(kernelObject(first), kernelObject(item)))
                    conflicts.Add(new IntentConflict(what, key(item).ToString() ?? "", describe(first), describe(item), origin(first), origin(item)));
                continue;
            }
            seen.Add(key(item), item);
            list.Add(item);
        }
        return (list, conflicts);
    }
}
