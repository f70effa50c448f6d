using RwHarness.Results;

namespace RwHarness.Model;

/// <summary>What a scenario expects of one lock.</summary>
public sealed record Expectation
{
    private Expectation(ExpectationKind kind, string? failureKind, string? exceptionType, string why)
    {
        Kind = kind;
        FailureKind = failureKind;
        ExceptionType = exceptionType;
        Why = why;
    }

    public ExpectationKind Kind { get; }

    /// <summary>For <see cref="ExpectationKind.Finds"/>: the failure kind that must be found.</summary>
    public string? FailureKind { get; }

    /// <summary>For an expected exception: the exception type's simple name.</summary>
    public string? ExceptionType { get; }

    public string Why { get; }

    /// <summary>No schedule violates anything.</summary>
    public static Expectation Holds { get; } = new(ExpectationKind.Holds, null, null, "");

    /// <summary>Some schedule reaches the scenario's witness state, and none violates anything.</summary>
    public static Expectation Reachable(string why = "") => new(ExpectationKind.Reachable, null, null, why);

    /// <summary>Some schedule deadlocks (the lock is used wrongly on purpose).</summary>
    public static Expectation Deadlocks(string why = "") => new(ExpectationKind.Finds, FailureKinds.Deadlock, null, why);

    /// <summary>Some schedule never finishes: every thread blocked (deadlock) or spinning forever (step bound).</summary>
    public static Expectation Hangs(string why = "") => new(ExpectationKind.Finds, FailureKinds.Deadlock + "|" + FailureKinds.StepBound, null, why);

    /// <summary>Whether a failure of <paramref name="kind"/> is the one expected.</summary>
    public bool Accepts(string kind) => FailureKind is not null && FailureKind.Split('|').Contains(kind);

    /// <summary>Some schedule throws <typeparamref name="T"/> in a virtual thread.</summary>
    public static Expectation Throws<T>(string why = "")
        where T : Exception => new(ExpectationKind.Finds, FailureKinds.Exception, typeof(T).Name, why);

    /// <summary>The scenario does not apply to this lock.</summary>
    public static Expectation NotApplicable(string why) => new(ExpectationKind.NotApplicable, null, null, why);

    /// <summary>The short form written to results.json: holds, reachable, finds:deadlock, finds:exception:LockRecursionException, n/a.</summary>
    public string Label => Kind switch
    {
        ExpectationKind.Holds => "holds",
        ExpectationKind.Reachable => "reachable",
        ExpectationKind.Finds when ExceptionType is not null => $"finds:{FailureKind}:{ExceptionType}",
        ExpectationKind.Finds => $"finds:{FailureKind}",
        _ => "n/a",
    };

    public override string ToString() => Label;
}

public enum ExpectationKind
{
    Holds,
    Reachable,
    Finds,
    NotApplicable,
}
