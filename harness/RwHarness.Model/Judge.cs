using RwHarness.Results;

namespace RwHarness.Model;

/// <summary>
/// Turns what a backend observed into a verdict against the scenario's expectation. Both the native
/// engine and the Coyote backend call this, so they can only disagree about what they observed.
/// </summary>
public static class Judge
{
    /// <param name="expectation">What the scenario expects of the lock.</param>
    /// <param name="failureKind">Kind of the first failure found, or null when no schedule failed.</param>
    /// <param name="exceptionType">For an exception failure, the exception type's simple name.</param>
    /// <param name="witnessReached">Whether any schedule reached the scenario's witness state.</param>
    /// <returns>The verdict, and when it is a fail that is not itself a failure found, why.</returns>
    public static JudgedOutcome Decide(Expectation expectation, string? failureKind, string? exceptionType, bool witnessReached)
    {
        switch (expectation.Kind)
        {
            case ExpectationKind.Holds:
                return failureKind is null ? JudgedOutcome.Pass : JudgedOutcome.FailedOnFailure;
            case ExpectationKind.Reachable:
                if (failureKind is not null)
                {
                    return JudgedOutcome.FailedOnFailure;
                }
                return witnessReached
                    ? JudgedOutcome.Pass
                    : JudgedOutcome.Fail("no explored schedule reached the expected state" + Because(expectation));
            case ExpectationKind.Finds:
                if (failureKind is null)
                {
                    var what = expectation.ExceptionType ?? expectation.FailureKind;
                    return JudgedOutcome.Fail($"expected {what}, but no explored schedule showed it" + Because(expectation));
                }
                var matches = expectation.Accepts(failureKind)
                    && (expectation.ExceptionType is null || expectation.ExceptionType == exceptionType);
                return matches ? JudgedOutcome.PassWithWitness : JudgedOutcome.FailedOnFailure;
            default:
                return JudgedOutcome.Pass;
        }
    }

    private static string Because(Expectation e) => string.IsNullOrEmpty(e.Why) ? "" : $" ({e.Why})";
}

/// <summary>The verdict plus how to present the evidence.</summary>
public sealed record JudgedOutcome(string Verdict, bool FailureIsWitness, string? Mismatch)
{
    public static JudgedOutcome Pass { get; } = new(Verdicts.Pass, false, null);

    /// <summary>Pass: the failure found is the expected one and becomes the case's witness.</summary>
    public static JudgedOutcome PassWithWitness { get; } = new(Verdicts.Pass, true, null);

    /// <summary>Fail: the failure found is itself the reason.</summary>
    public static JudgedOutcome FailedOnFailure { get; } = new(Verdicts.Fail, false, null);

    /// <summary>Fail: an expected outcome never showed (kind expectation-not-met).</summary>
    public static JudgedOutcome Fail(string why) => new(Verdicts.Fail, false, why);
}
