namespace RwHarness.Scenarios.Linearizability;

/// <summary>
/// A sequential specification: what an object does when its operations run one at a time. The checker
/// asks whether a concurrent history can be explained by some order of these sequential steps.
/// </summary>
/// <typeparam name="TState">The object's abstract state; treated as immutable (Apply returns a new one).</typeparam>
public interface ISequentialSpec<TState>
{
    /// <summary>The state before any operation.</summary>
    TState Initial { get; }

    /// <summary>Runs <paramref name="op"/> on <paramref name="state"/>: the state after it and the result it must return.</summary>
    (TState State, string? Result) Apply(TState state, HistoryOperation op);

    bool StateEquals(TState a, TState b);

    int StateHash(TState state);

    /// <summary>A short rendering for explanations, e.g. <c>{a=p1, b=p3}</c>.</summary>
    string Describe(TState state);
}
