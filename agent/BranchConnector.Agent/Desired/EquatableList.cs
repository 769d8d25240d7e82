using System.Collections;
using System.Runtime.CompilerServices;

namespace BranchConnector.Agent.Desired;

/// <summary>An immutable list with value equality, so records holding lists compare by content.</summary>
[CollectionBuilder(typeof(EquatableList), nameof(EquatableList.Create))]
public sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    public static readonly EquatableList<T> Empty = new([]);
    private readonly T[] _items;

    public EquatableList(IEnumerable<T> items) => _items = items.ToArray();

    public T this[int index] => _items[index];
    public int Count => _items.Length;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(EquatableList<T>? other) => other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);
    public override bool Equals(object? obj) => Equals(obj as EquatableList<T>);
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }
    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    // Value equality for == too, so `a.Routes == b.Routes` compares contents like the records that hold them.
    public static bool operator ==(EquatableList<T>? left, EquatableList<T>? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(EquatableList<T>? left, EquatableList<T>? right) => !(left == right);

    public static implicit operator EquatableList<T>(T[] items) => new(items);
    public static implicit operator EquatableList<T>(List<T> items) => new(items);
}

public static class EquatableList
{
    public static EquatableList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    public static EquatableList<T> ToEquatableList<T>(this IEnumerable<T> items) => new(items);
}
