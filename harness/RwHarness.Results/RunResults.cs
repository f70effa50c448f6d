namespace RwHarness.Results;

/// <summary>
/// The root of results.json. Versioned by <see cref="SchemaVersion"/>; README documents every field.
/// Reports, JUnit output and the CI gate read only this model.
/// </summary>
public sealed class RunResults
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; set; } = CurrentSchemaVersion;
    public string Tool { get; set; } = "rwharness";
    public RunInfo Run { get; set; } = new();
    public List<CaseResult> Results { get; set; } = [];
    public List<StressResult> Stress { get; set; } = [];
    public List<MutantResult> Mutants { get; set; } = [];
}

/// <summary>Where and how the run happened.</summary>
public sealed class RunInfo
{
    public string CommandLine { get; set; } = "";
    public DateTimeOffset StartedUtc { get; set; }
    public long ElapsedMs { get; set; }
    public MachineInfo Machine { get; set; } = MachineInfo.Current();
}

public sealed class MachineInfo
{
    public int Cores { get; set; }
    public string Os { get; set; } = "";
    public string Dotnet { get; set; } = "";

    public static MachineInfo Current() => new()
    {
        Cores = Environment.ProcessorCount,
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Dotnet = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    };
}

/// <summary>One engine x lock x scenario x strategy.</summary>
public sealed class CaseResult
{
    /// <summary><c>native</c> or <c>coyote</c>.</summary>
    public string Engine { get; set; } = "native";
    public string Lock { get; set; } = "";
    public string Scenario { get; set; } = "";
    public string Strategy { get; set; } = "";

    /// <summary>What the scenario expects of this lock: <c>holds</c>, <c>reachable</c>, or <c>finds:KIND</c>.</summary>
    public string Expected { get; set; } = "holds";

    /// <summary>Executions explored.</summary>
    public long Iterations { get; set; }

    /// <summary>Distinct schedules among them (equal to iterations for dfs).</summary>
    public long DistinctInterleavings { get; set; }

    /// <summary>Scheduling steps over all executions.</summary>
    public long Steps { get; set; }
    public long ElapsedMs { get; set; }

    /// <summary><c>pass</c> or <c>fail</c>.</summary>
    public string Verdict { get; set; } = Verdicts.Pass;

    /// <summary><c>complete</c> when a dfs covered its (bounded) space, else <c>sampled</c>.</summary>
    public string Coverage { get; set; } = Coverages.Sampled;

    /// <summary>Preemption bound of a dfs run, when one was set.</summary>
    public int? PreemptionBound { get; set; }

    /// <summary>Seed the run started from.</summary>
    public long Seed { get; set; }

    /// <summary>The evidence the verdict rests on: a failure, or for an expected deadlock/exception/reachable state, the schedule that showed it.</summary>
    public FailureInfo? Failure { get; set; }

    /// <summary>For an expected outcome that was observed, the schedule that shows it (verdict stays pass).</summary>
    public FailureInfo? Witness { get; set; }

    /// <summary>Free-form note (for example why a lock is exempt from a scenario).</summary>
    public string? Note { get; set; }
}

public static class Verdicts
{
    public const string Pass = "pass";
    public const string Fail = "fail";
}

public static class Coverages
{
    public const string Complete = "complete";
    public const string Sampled = "sampled";
}

/// <summary>A failure (or a witness schedule) with everything needed to understand and reproduce it.</summary>
public sealed class FailureInfo
{
    /// <summary>One of <see cref="FailureKinds"/>.</summary>
    public string Kind { get; set; } = "";
    public string Message { get; set; } = "";

    /// <summary>The replay token: <c>rwharness replay TOKEN</c> re-runs this exact schedule.</summary>
    public string Replay { get; set; } = "";

    /// <summary>The readable interleaving, one line per operation.</summary>
    public List<string> Trace { get; set; } = [];

    /// <summary>The same interleaving, structured (for swimlanes).</summary>
    public List<TraceStep> Steps { get; set; } = [];

    /// <summary>The virtual threads' names, in id order.</summary>
    public List<string> Threads { get; set; } = [];

    /// <summary>Index into <see cref="Steps"/> of the step where the failure showed, or -1.</summary>
    public int FailingStep { get; set; } = -1;

    /// <summary>Iteration (0-based) of the failing execution.</summary>
    public long Iteration { get; set; }

    /// <summary>The minimal generated program, when the case came from FsCheck.</summary>
    public string? Program { get; set; }
}

/// <summary>One operation of an interleaving.</summary>
public sealed class TraceStep
{
    public int Step { get; set; }
    public int Thread { get; set; }
    public string Op { get; set; } = "";
    public string Location { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }

    /// <summary>The lock's state after the operation (for example "readerCount=1 readerWait=0"), when the lock can describe it.</summary>
    public string? State { get; set; }

    /// <summary>An annotation: blocked, woken, failed here.</summary>
    public string? Note { get; set; }
}

/// <summary>A real-thread stress run, graded like jcstress.</summary>
public sealed class StressResult
{
    public string Lock { get; set; } = "";
    public string Scenario { get; set; } = "";
    public int Threads { get; set; }
    public long DurationMs { get; set; }
    public long Rounds { get; set; }
    public int MaxReadersTogether { get; set; }
    public long Overlaps { get; set; }
    public string Verdict { get; set; } = Verdicts.Pass;
    public List<OutcomeCount> Outcomes { get; set; } = [];
    public string? Message { get; set; }
}

public sealed class OutcomeCount
{
    public string Outcome { get; set; } = "";
    public long Count { get; set; }

    /// <summary><c>acceptable</c>, <c>interesting</c> or <c>forbidden</c>.</summary>
    public string Grade { get; set; } = Grades.Acceptable;
}

public static class Grades
{
    public const string Acceptable = "acceptable";
    public const string Interesting = "interesting";
    public const string Forbidden = "forbidden";
}

/// <summary>One deliberately broken lock and whether the harness caught it.</summary>
public sealed class MutantResult
{
    public string Engine { get; set; } = "native";
    public string Mutant { get; set; } = "";
    public string Description { get; set; } = "";
    public bool Caught { get; set; }
    public string? Scenario { get; set; }
    public string? Strategy { get; set; }

    /// <summary>Schedules explored until the first bug.</summary>
    public long Schedules { get; set; }
    public FailureInfo? Failure { get; set; }
}
