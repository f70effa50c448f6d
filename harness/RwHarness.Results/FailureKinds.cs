namespace RwHarness.Results;

/// <summary>The failure kinds a run can report; each is a distinct string in results.json.</summary>
public static class FailureKinds
{
    /// <summary>An invariant or an assertion in a scenario did not hold.</summary>
    public const string Invariant = "invariant";

    /// <summary>Every live thread is blocked; the message says what each one waits on.</summary>
    public const string Deadlock = "deadlock";

    /// <summary>An execution ran past the step bound: a potential livelock or starvation.</summary>
    public const string StepBound = "step-bound";

    /// <summary>A virtual thread threw an exception the scenario did not expect.</summary>
    public const string Exception = "exception";

    /// <summary>A thread reached no scheduling point within the watchdog timeout: it blocked outside ISync.</summary>
    public const string UncontrolledBlocking = "uncontrolled-blocking";

    /// <summary>A scenario expected an outcome (a reachable state, a deadlock, an exception) that no explored schedule produced.</summary>
    public const string ExpectationNotMet = "expectation-not-met";

    /// <summary>The native engine and Coyote returned different verdicts for the same lock and scenario.</summary>
    public const string EngineDisagreement = "engine-disagreement";

    /// <summary>A replayed schedule asked for a thread that was not runnable: the program is not the one recorded.</summary>
    public const string ReplayDivergence = "replay-divergence";

    public static readonly IReadOnlyList<string> All =
    [
        Invariant, Deadlock, StepBound, Exception, UncontrolledBlocking, ExpectationNotMet, EngineDisagreement, ReplayDivergence,
    ];
}
