using RwHarness.Results;

namespace RwHarness.Reports.Tests;

/// <summary>Results models the report tests render: passes, a deadlock, an invariant failure, a witness, stress and mutants.</summary>
internal static class Fixtures
{
    public const string InvariantToken = "v1:pct:seed=42:d=3:0.0.2.2.2.1.0.2";
    public const string DeadlockToken = "v1:dfs:seed=7:0.1.2.2.1.0";
    public const string WitnessToken = "v1:dfs:seed=1:0.0.0";
    public const string Program = "T0: RLock; RUnlock\nT1: Lock; Unlock\nT2: RLock; RUnlock";

    public static readonly string[] Locks = ["counter-negation", "reader-queue", "rwls-norecursion"];
    public static readonly string[] Scenarios = ["readers-share", "writer-excludes", "read-under-write"];

    /// <summary>
    /// A Go-style counter-negation RWMutex whose writer forgets to add the active readers to readerWait:
    /// the writer enters while reader-0 still holds the lock.
    /// </summary>
    public static FailureInfo InvariantFailure() => new()
    {
        Kind = FailureKinds.Invariant,
        Message = "mutual exclusion: writer holds the lock while 1 reader holds it (holders=R0,W)",
        Replay = InvariantToken,
        Threads = ["reader-0", "reader-1", "writer"],
        Program = Program,
        Iteration = 311,
        Steps =
        [
            Step(0, 0, "Add", "readerCount", "0", "1", "readerCount=1 readerWait=0 w=free holders=R0"),
            Step(1, 0, "Enter", "critical-section", null, null, "readerCount=1 readerWait=0 w=free holders=R0"),
            Step(2, 2, "Lock", "w", "free", "held", "readerCount=1 readerWait=0 w=held holders=R0"),
            Step(3, 2, "Add", "readerCount", "1", "-1073741823", "readerCount=-1073741823 readerWait=0 w=held holders=R0"),
            Step(4, 1, "Add", "readerCount", "-1073741823", "-1073741822", "readerCount=-1073741822 readerWait=0 w=held holders=R0"),
            Step(5, 1, "Semacquire", "readerSem", "0", "0", "readerCount=-1073741822 readerWait=0 w=held holders=R0", "blocked"),
            Step(6, 2, "Load", "readerWait", null, "0", "readerCount=-1073741822 readerWait=0 w=held holders=R0"),
            Step(7, 2, "Enter", "critical-section", null, null, "readerCount=-1073741822 readerWait=0 w=held holders=R0,W", "invariant violated"),
            Step(8, 0, "Add", "readerCount", "-1073741822", "-1073741823", "readerCount=-1073741823 readerWait=0 w=held holders=W"),
        ],
        FailingStep = 7,
        Trace =
        [
            "   0 reader-0: Add readerCount 0->1",
            "   1 reader-0: Enter critical-section",
            "   2 writer: Lock w free->held",
            "   3 writer: Add readerCount 1->-1073741823",
            "   4 reader-1: Add readerCount -1073741823->-1073741822",
            "   5 reader-1: Semacquire readerSem (blocked)",
            "   6 writer: Load readerWait =0",
            "   7 writer: Enter critical-section (invariant violated)",
            "   8 reader-0: Add readerCount -1073741822->-1073741823",
        ],
    };

    /// <summary>A reader-queue lock whose writer parks before publishing itself: everyone ends up parked.</summary>
    public static FailureInfo Deadlock() => new()
    {
        Kind = FailureKinds.Deadlock,
        Message = "every live thread is blocked: reader-0 waits on readerSem; writer waits on writerSem",
        Replay = DeadlockToken,
        Threads = ["reader-0", "writer"],
        Iteration = 18,
        Steps =
        [
            Step(0, 1, "CompareExchange", "writer", "0", "1", "readers=0 queued=0 readerPass=0 writer=1"),
            Step(1, 0, "Load", "writer", null, "1", "readers=0 queued=0 readerPass=0 writer=1"),
            Step(2, 0, "Add", "queued", "0", "1", "readers=0 queued=1 readerPass=0 writer=1"),
            Step(3, 0, "Semacquire", "readerSem", "0", "0", "readers=0 queued=1 readerPass=0 writer=1", "blocked"),
            Step(4, 1, "Semacquire", "writerSem", "0", "0", "readers=0 queued=1 readerPass=0 writer=1", "blocked"),
        ],
        FailingStep = -1,
    };

    public static FailureInfo Witness() => new()
    {
        Kind = FailureKinds.Deadlock,
        Message = "every live thread is blocked: main waits on the read lock it takes while holding the write lock",
        Replay = WitnessToken,
        Threads = ["main"],
        Steps =
        [
            Step(0, 0, "EnterWriteLock", "rwls", null, null, "writer=main readers=0"),
            Step(1, 0, "EnterReadLock", "rwls", null, null, "writer=main readers=0", "blocked"),
        ],
        FailingStep = 1,
    };

    public static TraceStep Step(int i, int thread, string op, string loc, string? before, string? after, string state, string? note = null) =>
        new() { Step = i, Thread = thread, Op = op, Location = loc, Before = before, After = after, State = state, Note = note };

    public static CaseResult Pass(string lockName, string scenario, string engine = "native", string strategy = "dfs") => new()
    {
        Engine = engine,
        Lock = lockName,
        Scenario = scenario,
        Strategy = strategy,
        Iterations = 1_234,
        DistinctInterleavings = strategy == "dfs" ? 1_234 : 1_100,
        Steps = 56_789,
        ElapsedMs = 1_250,
        Verdict = Verdicts.Pass,
        Coverage = strategy == "dfs" ? Coverages.Complete : Coverages.Sampled,
        PreemptionBound = strategy == "dfs" ? 2 : null,
        Seed = 1,
    };

    /// <summary>
    /// counter-negation x writer-excludes fails (invariant, pct); reader-queue x writer-excludes deadlocks (dfs);
    /// rwls-norecursion x read-under-write shows the expected deadlock (witness); reader-queue x read-under-write was not run;
    /// everything else passes. Two stress runs (one with a forbidden outcome) and three mutants (one missed).
    /// </summary>
    public static RunResults Sample()
    {
        var r = new RunResults
        {
            Run = new RunInfo
            {
                CommandLine = "rwharness check --engine both --strategy dfs --report out/check",
                StartedUtc = new DateTimeOffset(2025, 11, 3, 9, 30, 0, TimeSpan.Zero),
                ElapsedMs = 93_500,
                Machine = new MachineInfo { Cores = 2, Os = "Debian GNU/Linux 13 (trixie)", Dotnet = ".NET 10.0.0" },
            },
        };
        foreach (var l in Locks)
        {
            foreach (var s in Scenarios)
            {
                if (l == "reader-queue" && s == "read-under-write")
                {
                    continue;
                }
                if (l == "counter-negation" && s == "writer-excludes")
                {
                    var c = Pass(l, s, "native", "pct");
                    c.Verdict = Verdicts.Fail;
                    c.Coverage = Coverages.Sampled;
                    c.Failure = InvariantFailure();
                    r.Results.Add(c);
                    r.Results.Add(Pass(l, s, "coyote", "random"));
                    continue;
                }
                if (l == "reader-queue" && s == "writer-excludes")
                {
                    var c = Pass(l, s);
                    c.Verdict = Verdicts.Fail;
                    c.Coverage = Coverages.Sampled;
                    c.Failure = Deadlock();
                    r.Results.Add(c);
                    continue;
                }
                if (s == "read-under-write")
                {
                    var c = Pass(l, s);
                    c.Expected = "finds:deadlock";
                    c.Witness = Witness();
                    r.Results.Add(c);
                    continue;
                }
                r.Results.Add(Pass(l, s));
            }
        }
        r.Stress.Add(new StressResult
        {
            Lock = "counter-negation",
            Scenario = "readers-share",
            Threads = 4,
            DurationMs = 10_000,
            Rounds = 1_250_000,
            MaxReadersTogether = 3,
            Overlaps = 48_211,
            Outcomes =
            [
                new OutcomeCount { Outcome = "r=1, r=1 (readers overlapped)", Count = 48_211, Grade = Grades.Acceptable },
                new OutcomeCount { Outcome = "r=1, r=0 (sequential)", Count = 1_201_789, Grade = Grades.Acceptable },
                new OutcomeCount { Outcome = "writer starved > 100 ms", Count = 3, Grade = Grades.Interesting },
                new OutcomeCount { Outcome = "reader saw writer inside", Count = 0, Grade = Grades.Forbidden },
            ],
        });
        r.Stress.Add(new StressResult
        {
            Lock = "broken-no-readerwait",
            Scenario = "writer-excludes",
            Threads = 4,
            DurationMs = 10_000,
            Rounds = 900_000,
            MaxReadersTogether = 2,
            Verdict = Verdicts.Fail,
            Message = "forbidden outcome seen 17 times: reader saw writer inside",
            Outcomes =
            [
                new OutcomeCount { Outcome = "exclusive", Count = 899_983, Grade = Grades.Acceptable },
                new OutcomeCount { Outcome = "reader saw writer inside", Count = 17, Grade = Grades.Forbidden },
            ],
        });
        r.Mutants.Add(new MutantResult { Mutant = "no-readerwait", Description = "writer skips waiting for active readers", Caught = true, Scenario = "writer-excludes", Strategy = "dfs", Schedules = 37, Failure = InvariantFailure() });
        r.Mutants.Add(new MutantResult { Mutant = "no-negate", Description = "writer does not negate readerCount", Caught = true, Scenario = "writer-excludes", Strategy = "pct", Schedules = 4 });
        r.Mutants.Add(new MutantResult { Mutant = "lost-wakeup", Description = "last reader forgets to release writerSem", Caught = false });
        return r;
    }
}
