namespace RwHarness.Coyote;

/// <summary>How CoyoteRunner explores one lock x scenario.</summary>
public sealed record CoyoteOptions
{
    /// <summary>One of <see cref="CoyoteStrategies.Names"/> (with or without the <c>coyote-</c> prefix).</summary>
    public string Strategy { get; init; } = CoyoteStrategies.Portfolio;

    /// <summary>Coyote test iterations (executions) to explore; the run stops at the first bug.</summary>
    public uint Iterations { get; init; } = 1000;

    /// <summary>Scheduling steps per execution (Coyote's unfair bound; fair strategies get ten times as many).</summary>
    public uint MaxSteps { get; init; } = 10_000;

    /// <summary>Seed of Coyote's random generator; null lets Coyote choose.</summary>
    public uint? Seed { get; init; }

    /// <summary>
    /// Strategy-specific bound: the probability level for <c>probabilistic</c>, the priority-change bound for
    /// <c>pct</c>, the delay bound for <c>delay-bounding</c>. Null keeps Coyote's default.
    /// </summary>
    public uint? StrategyBound { get; init; }

    /// <summary>An execution that reaches <see cref="MaxSteps"/> is a failure (kind step-bound), as in the native engine.</summary>
    public bool FailOnMaxSteps { get; init; } = true;

    /// <summary>
    /// Let Coyote interleave at the BCL operations of a rewritten assembly (Interlocked, Volatile, Monitor,
    /// SemaphoreSlim). Needed for locks written with plain BCL primitives; CoyoteSync's own scheduling points
    /// do not depend on it.
    /// </summary>
    public bool BclRaceChecking { get; init; }

    /// <summary>Also interleave at plain field reads and writes of rewritten assemblies (slow; for locks that race on plain fields).</summary>
    public bool MemoryAccessRaceChecking { get; init; }

    /// <summary>Record every CoyoteSync operation so a failure carries a readable interleaving (costs a little speed).</summary>
    public bool RecordOperations { get; init; } = true;

    /// <summary>Extra Coyote configuration applied last, for anything not exposed here.</summary>
    public Func<Microsoft.Coyote.Configuration, Microsoft.Coyote.Configuration>? Configure { get; init; }
}
