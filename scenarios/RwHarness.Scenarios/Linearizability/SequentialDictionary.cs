using System.Collections.Immutable;

namespace RwHarness.Scenarios.Linearizability;

/// <summary>
/// The sequential specification of a map from string keys to string values, as the Router's peer table
/// promises it: <c>Add(key, value)</c> inserts or replaces and returns nothing, <c>Delete(key)</c> removes
/// and returns nothing, <c>Query(key)</c> returns the value or nil.
/// </summary>
public sealed class SequentialDictionary : ISequentialSpec<ImmutableSortedDictionary<string, string>>
{
    public const string Add = "Add";
    public const string Delete = "Delete";
    public const string Query = "Query";

    public static SequentialDictionary Instance { get; } = new();

    public ImmutableSortedDictionary<string, string> Initial { get; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public (ImmutableSortedDictionary<string, string> State, string? Result) Apply(ImmutableSortedDictionary<string, string> state, HistoryOperation op) => op.Name switch
    {
        Add when op.Args.Count == 2 => (state.SetItem(op.Args[0], op.Args[1]), null),
        Delete when op.Args.Count == 1 => (state.Remove(op.Args[0]), null),
        Query when op.Args.Count == 1 => (state, state.TryGetValue(op.Args[0], out var v) ? v : null),
        _ => throw new ArgumentException($"the dictionary has no operation {op.Call}"),
    };

    public bool StateEquals(ImmutableSortedDictionary<string, string> a, ImmutableSortedDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (k, v) in a)
        {
            if (!b.TryGetValue(k, out var w) || !string.Equals(v, w, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public int StateHash(ImmutableSortedDictionary<string, string> state)
    {
        var h = new HashCode();
        foreach (var (k, v) in state)
        {
            h.Add(k, StringComparer.Ordinal);
            h.Add(v, StringComparer.Ordinal);
        }
        return h.ToHashCode();
    }

    public string Describe(ImmutableSortedDictionary<string, string> state) =>
        "{" + string.Join(", ", state.Select(kv => $"{kv.Key}={kv.Value}")) + "}";
}
