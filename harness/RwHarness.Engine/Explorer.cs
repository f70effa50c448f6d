using System.Diagnostics;
using RwHarness.Engine.Runtime;
using RwHarness.Engine.Strategies;
using RwHarness.Engine.Tracing;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Engine;

/// <summary>
/// The native engine's entry point: explores the schedules of a program (a factory of scenario instances)
/// with a strategy and a budget, and returns the first failure with its trace and replay token.
/// </summary>
public static class Explorer
{
    private static readonly System.Collections.Concurrent.ConcurrentBag<Worker> Pool = [];

    /// <summary>Runs <paramref name="scenario"/> on <paramref name="lockDescriptor"/> and judges the outcome; null when the scenario does not apply.</summary>
    public static CaseResult? Check(Scenario scenario, LockDescriptor lockDescriptor, CheckOptions options)
    {
        var expectation = scenario.Expect(lockDescriptor);
        if (expectation.Kind == ExpectationKind.NotApplicable)
        {
            return null;
        }
        var x = Explore(lockDescriptor.Name, scenario.Name, () => scenario.Create<ControlledSync>(lockDescriptor), options);
        return ToCaseResult(x, lockDescriptor.Name, scenario.Name, expectation);
    }

    /// <summary>Builds the results record for an exploration, judged against <paramref name="expectation"/>.</summary>
    public static CaseResult ToCaseResult(Exploration x, string lockName, string scenarioName, Expectation expectation)
    {
        var judged = Judge.Decide(expectation, x.Failure?.Kind, x.Failure?.ExceptionType, x.WitnessReached);
        var result = new CaseResult
        {
            Engine = "native",
            Lock = lockName,
            Scenario = scenarioName,
            Strategy = x.Strategy,
            Expected = expectation.Label,
            Iterations = x.Iterations,
            DistinctInterleavings = x.DistinctInterleavings,
            Steps = x.Steps,
            ElapsedMs = (long)x.Elapsed.TotalMilliseconds,
            Verdict = judged.Verdict,
            Coverage = x.Complete ? Coverages.Complete : Coverages.Sampled,
            PreemptionBound = x.PreemptionBound,
            Seed = x.Seed,
        };
        if (judged.FailureIsWitness)
        {
            result.Witness = x.Failure!.ToFailureInfo();
        }
        else if (x.Failure is not null)
        {
            result.Failure = x.Failure.ToFailureInfo();
        }
        else if (judged.Mismatch is not null)
        {
            result.Failure = new FailureInfo { Kind = FailureKinds.ExpectationNotMet, Message = judged.Mismatch };
        }
        if (result.Failure is null && result.Witness is null && x.Witness is not null)
        {
            result.Witness = x.Witness.ToFailureInfo();
        }
        return result;
    }

    /// <summary>Explores the schedules of the program <paramref name="factory"/> builds.</summary>
    /// <param name="lockName">Names the lock in the replay token.</param>
    /// <param name="scenarioName">Names the scenario in the replay token.</param>
    public static Exploration Explore(string lockName, string scenarioName, Func<ScenarioInstance> factory, CheckOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var pctSteps = options.Strategy == "pct" ? Calibrate(factory, options) : 0;
        var workers = options.Strategy == "dfs" ? 1 : options.Parallel;
        var shared = new SharedProgress(options.Iterations);
        var deadline = options.TimeBudget is { } tb ? Stopwatch.GetTimestamp() + (long)(tb.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var records = new List<IterationRecord>[workers];
        var strategies = new IStrategy[workers];

        void RunWorker(int w)
        {
            var strategy = strategies[w] = CreateStrategy(options, pctSteps);
            var mine = records[w] = [];
            var worker = Rent();
            try
            {
                while (true)
                {
                    var i = shared.Take();
                    if (i < 0 || Stopwatch.GetTimestamp() > deadline)
                    {
                        return;
                    }
                    var outcome = worker.Run(factory, strategy, i, options.MaxSteps, options.Watchdog, trace: false);
                    if (outcome is null)
                    {
                        shared.Exhaust();
                        return;
                    }
                    mine.Add(new IterationRecord(i, outcome.ScheduleHash(), outcome.Steps, outcome.WitnessReached ? outcome.Decisions : null));
                    if (outcome.Failure is not null)
                    {
                        shared.Failed(i, outcome);
                    }
                }
            }
            finally
            {
                Return(worker);
            }
        }

        if (workers == 1)
        {
            RunWorker(0);
        }
        else
        {
            var threads = Enumerable.Range(1, workers - 1).Select(w => new Thread(() => RunWorker(w)) { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            RunWorker(0);
            threads.ForEach(t => t.Join());
        }

        // Only iterations up to the first failure count, so the figures do not depend on the number of workers.
        var limit = shared.FirstFailure;
        var counted = records.SelectMany(r => r).Where(r => r.Iteration <= limit).ToList();
        var firstWitness = counted.Where(r => r.WitnessDecisions is not null).MinBy(r => r.Iteration);
        var complete = strategies[0] is DfsStrategy dfs && dfs.Exhausted && shared.FailureOutcome is null;

        FoundSchedule? failure = null;
        if (shared.FailureOutcome is { } fo)
        {
            var token = new ReplayToken(lockName, scenarioName, options.Strategy, options.Seed, limit, options.MaxSteps, fo.Decisions.ToArray());
            failure = Traced(factory, token, options.Watchdog, fo.Failure!);
        }
        FoundSchedule? witness = null;
        if (firstWitness is not null && failure is null)
        {
            var token = new ReplayToken(lockName, scenarioName, options.Strategy, options.Seed, firstWitness.Iteration, options.MaxSteps, firstWitness.WitnessDecisions!.ToArray());
            witness = Traced(factory, token, options.Watchdog, null);
        }
        clock.Stop();
        return new Exploration
        {
            Strategy = options.Strategy,
            Iterations = counted.Count,
            DistinctInterleavings = counted.Select(r => r.Hash).Distinct().LongCount(),
            Steps = counted.Sum(r => (long)r.Steps),
            Elapsed = clock.Elapsed,
            Complete = complete,
            PreemptionBound = options.Strategy == "dfs" ? options.PreemptionBound : null,
            Seed = options.Seed,
            Failure = failure,
            Witness = witness,
        };
    }

    /// <summary>Re-runs the schedule in <paramref name="token"/> with a trace.</summary>
    public static FoundSchedule Replay(ReplayToken token, Func<ScenarioInstance> factory, TimeSpan? watchdog = null) =>
        Traced(factory, token, watchdog ?? TimeSpan.FromSeconds(2), null);

    private static FoundSchedule Traced(Func<ScenarioInstance> factory, ReplayToken token, TimeSpan watchdog, ExecutionFailure? original)
    {
        var worker = Rent();
        try
        {
            var outcome = worker.Run(factory, new ReplayStrategy(token.Decisions), token.Iteration, token.MaxSteps, watchdog, trace: true)!;
            var steps = outcome.Trace!.Steps;
            var f = outcome.Failure;
            var reproduced = original is null || (f is not null && f.Kind == original.Kind);
            var kind = f?.Kind ?? (original?.Kind ?? "witness");
            var message = f?.Message ?? original?.Message ?? "the schedule ran to completion without a failure";
            if (!reproduced)
            {
                message = $"{original!.Message} [replay did not reproduce it: {f?.Message ?? "no failure"}]";
            }
            return new FoundSchedule
            {
                Kind = kind,
                Message = message,
                ExceptionType = f?.ExceptionType ?? original?.ExceptionType,
                Token = token,
                Iteration = token.Iteration,
                Steps = steps,
                Threads = outcome.ThreadNames,
                TraceLines = TraceFormatter.Lines(steps, outcome.ThreadNames),
                Reproduced = reproduced,
            };
        }
        finally
        {
            Return(worker);
        }
    }

    /// <summary>PCT needs k, the number of choice points per execution: measure it on a few random schedules.</summary>
    private static int Calibrate(Func<ScenarioInstance> factory, CheckOptions options)
    {
        var worker = Rent();
        try
        {
            var k = 1;
            var probe = new RandomStrategy(options.Seed ^ 0x5EED);
            for (var i = 0; i < 3; i++)
            {
                var o = worker.Run(factory, probe, i, options.MaxSteps, options.Watchdog, trace: false);
                k = Math.Max(k, o?.Decisions.Count ?? 0);
            }
            return k;
        }
        finally
        {
            Return(worker);
        }
    }

    private static IStrategy CreateStrategy(CheckOptions o, int pctSteps) => o.Strategy switch
    {
        "random" => new RandomStrategy(o.Seed),
        "pct" => new PctStrategy(o.Seed, o.PctDepth, pctSteps),
        "dfs" => new DfsStrategy(o.PreemptionBound),
        _ => throw new ArgumentException($"unknown strategy '{o.Strategy}'"),
    };

    private static Worker Rent()
    {
        var w = Pool.TryTake(out var pooled) ? pooled : new Worker("rwh");
        w.Enter();
        return w;
    }

    private static void Return(Worker w)
    {
        w.Leave();
        Pool.Add(w);
    }

    private sealed record IterationRecord(long Iteration, ulong Hash, int Steps, IReadOnlyList<int>? WitnessDecisions);

    /// <summary>Hands out iteration numbers and keeps the lowest failing one.</summary>
    private sealed class SharedProgress(long iterations)
    {
        private readonly Lock gate = new();
        private long next = -1;
        private long firstFailure = long.MaxValue;
        private bool exhausted;

        public long FirstFailure => Volatile.Read(ref firstFailure) == long.MaxValue ? iterations - 1 : Volatile.Read(ref firstFailure);

        public ExecutionOutcome? FailureOutcome { get; private set; }

        public long Take()
        {
            var i = Interlocked.Increment(ref next);
            return i >= iterations || i > Volatile.Read(ref firstFailure) || Volatile.Read(ref exhausted) ? -1 : i;
        }

        public void Exhaust() => Volatile.Write(ref exhausted, true);

        public void Failed(long iteration, ExecutionOutcome outcome)
        {
            lock (gate)
            {
                if (iteration < firstFailure)
                {
                    firstFailure = iteration;
                    FailureOutcome = outcome;
                }
            }
        }
    }
}
