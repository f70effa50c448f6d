using RwHarness.Results;

namespace RwHarness.Engine;

/// <summary>What exploring one program found.</summary>
public sealed class Exploration
{
    public required string Strategy { get; init; }
    public long Iterations { get; init; }
    public long DistinctInterleavings { get; init; }
    public long Steps { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>dfs covered its whole (bounded) space.</summary>
    public bool Complete { get; init; }

    public int? PreemptionBound { get; init; }

    public long Seed { get; init; }

    /// <summary>The first failing execution (lowest iteration), replayed with a trace.</summary>
    public FoundSchedule? Failure { get; init; }

    /// <summary>The first execution that reached the scenario's witness state, replayed with a trace.</summary>
    public FoundSchedule? Witness { get; init; }

    public bool WitnessReached => Witness is not null;

    public double IterationsPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;

    public double StepsPerSecond => Elapsed.TotalSeconds > 0 ? Steps / Elapsed.TotalSeconds : 0;
}

/// <summary>One schedule worth showing: a failure, or the schedule that reached a witness state.</summary>
public sealed class FoundSchedule
{
    /// <summary>A failure kind (see <see cref="FailureKinds"/>), or "witness".</summary>
    public required string Kind { get; init; }
    public required string Message { get; init; }
    public string? ExceptionType { get; init; }
    public required ReplayToken Token { get; init; }
    public long Iteration { get; init; }
    public required IReadOnlyList<TraceStep> Steps { get; init; }
    public required IReadOnlyList<string> Threads { get; init; }
    public required IReadOnlyList<string> TraceLines { get; init; }

    /// <summary>Whether replaying the schedule showed the same failure (it always should: the engine is deterministic).</summary>
    public bool Reproduced { get; init; } = true;

    /// <summary>The trace note that marks where a witness state was reached.</summary>
    public const string WitnessNote = "witness state reached";

    public FailureInfo ToFailureInfo() => new()
    {
        Kind = Kind,
        Message = Message,
        Replay = Token.ToString(),
        Trace = [.. TraceLines],
        Steps = [.. Steps],
        Threads = [.. Threads],
        // A witness highlights the step where the goal state was reached; a failure, its last step.
        FailingStep = Kind == "witness" ? Math.Max(0, Steps.ToList().FindIndex(s => s.Note == WitnessNote) - 1) : Steps.Count - 1,
        Iteration = Iteration,
    };

    /// <summary>The message, the interleaving and the token: what a failing test prints.</summary>
    public string Describe() =>
        $"{Kind}: {Message}{Environment.NewLine}{string.Join(Environment.NewLine, TraceLines)}{Environment.NewLine}replay: {Token}";
}
