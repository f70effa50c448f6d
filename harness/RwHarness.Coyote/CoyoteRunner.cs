using System.Diagnostics;
using System.Globalization;
using Microsoft.Coyote;
using Microsoft.Coyote.Specifications;
using Microsoft.Coyote.SystematicTesting;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Sync;

namespace RwHarness.Coyote;

/// <summary>
/// Runs a scenario against a lock under Coyote's TestingEngine: each ThreadSpec body becomes a controlled
/// task (Task.Run in this rewritten assembly), the scenario's invariant is checked at every CoyoteSync
/// scheduling point and at the end (a violation is a Specification.Assert failure), Final after all
/// threads finished. The verdict comes from <see cref="Judge.Decide"/>, exactly as for the native engine.
/// </summary>
public static class CoyoteRunner
{
    public const string EngineName = "coyote";

    // One Coyote run per process at a time: the runtime and CoyoteSync's world are process-wide.
    // System.Threading.Lock is not rewritten by Coyote 1.7, so this stays a plain lock.
    private static readonly Lock Gate = new();

    /// <summary>Explores <paramref name="scenario"/> on <paramref name="lockDescriptor"/> and returns one result record.</summary>
    public static CaseResult Run(Scenario scenario, LockDescriptor lockDescriptor, CoyoteOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(lockDescriptor);
        ArgumentNullException.ThrowIfNull(options);
        return RunCore(scenario, lockDescriptor, options, reproducibleTrace: null);
    }

    /// <summary>
    /// Re-runs the schedule recorded in a <c>coyote1:</c> token with Coyote's replay and reports what it shows
    /// (the same failure, or a pass with a note when the schedule no longer fails).
    /// </summary>
    public static CaseResult Replay(string token, Func<string, Scenario?> findScenario, Func<string, LockDescriptor?> findLock)
    {
        ArgumentNullException.ThrowIfNull(findScenario);
        ArgumentNullException.ThrowIfNull(findLock);
        var t = ReplayToken.Parse(token);
        var scenario = findScenario(t.Scenario) ?? throw new ArgumentException($"unknown scenario '{t.Scenario}' in replay token", nameof(token));
        var lk = findLock(t.Lock) ?? throw new ArgumentException($"unknown lock '{t.Lock}' in replay token", nameof(token));
        var options = ReplaySettings.Read(t.Trace);
        return RunCore(scenario, lk, options, t.Trace);
    }

    private static CaseResult RunCore(Scenario scenario, LockDescriptor lk, CoyoteOptions options, string? reproducibleTrace)
    {
        var expectation = scenario.Expect(lk);
        if (lk is UserLockDescriptor && !options.BclRaceChecking)
        {
            // A user's lock synchronizes through BCL calls only: those must be scheduling points.
            options = options with { BclRaceChecking = true };
        }
        var strategy = reproducibleTrace is null ? CoyoteStrategies.Label(options.Strategy) : "coyote-replay";
        var result = new CaseResult
        {
            Engine = EngineName,
            Lock = lk.Name,
            Scenario = scenario.Name,
            Strategy = strategy,
            Expected = expectation.Label,
            Coverage = Coverages.Sampled,
            Seed = options.Seed ?? 0,
        };
        if (expectation.Kind == ExpectationKind.NotApplicable)
        {
            result.Note = "not applicable: " + expectation.Why;
            return result;
        }

        lock (Gate)
        {
            var session = new Session(scenario, lk, options);
            var sw = Stopwatch.StartNew();
            TestReport report;
            string readableTrace;
            string trace;
            try
            {
                var config = BuildConfiguration(options, reproducibleTrace);
                using var engine = TestingEngine.Create(config, session.IterationAsync);
                // The engine's progress lines ("..... Iteration #N") would flood CLI and test output.
                engine.SetLogger(new Microsoft.Coyote.Logging.TextWriterLogger(TextWriter.Null, Microsoft.Coyote.Logging.VerbosityLevel.None));
                engine.RegisterEndIterationCallBack(_ => session.EndIteration());
                engine.Run();
                report = engine.TestReport;
                readableTrace = engine.ReadableTrace ?? "";
                trace = engine.ReproducibleTrace ?? "";
            }
            finally
            {
                sw.Stop();
                CoyoteWorld.Current = new CoyoteWorld(recordOperations: false);
            }

            result.ElapsedMs = sw.ElapsedMilliseconds;
            result.Iterations = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths;
            result.DistinctInterleavings = result.Iterations;
            result.Steps = session.TotalSteps;
            if (options.Seed is null && report.Configuration?.RandomGeneratorSeed is { } chosen)
            {
                result.Seed = chosen;
            }

            Observation? observed = null;
            if (report.NumOfFoundBugs > 0)
            {
                var bugText = report.BugReports.FirstOrDefault() ?? "Coyote reported a bug without a report";
                observed = session.Failure ?? Classify(bugText, session.LastWorld);
                observed = observed with { CoyoteReport = bugText };
            }
            else if (report.InternalErrors.Count > 0)
            {
                observed = new Observation(FailureKinds.Exception, null, "Coyote internal error: " + string.Join("; ", report.InternalErrors));
            }

            var judged = Judge.Decide(expectation, observed?.Kind, observed?.ExceptionType, session.WitnessReached);
            result.Verdict = judged.Verdict;
            if (observed is not null)
            {
                var info = BuildFailure(observed, session, lk, scenario, trace, readableTrace, result.Iterations);
                if (judged.FailureIsWitness)
                {
                    result.Witness = info;
                }
                else
                {
                    result.Failure = info;
                }
            }
            if (judged.Mismatch is not null)
            {
                result.Failure ??= new FailureInfo
                {
                    Kind = FailureKinds.ExpectationNotMet,
                    Message = judged.Mismatch,
                    Iteration = Math.Max(0, result.Iterations - 1),
                };
            }
            if (reproducibleTrace is not null && observed is null)
            {
                result.Note = "the recorded schedule did not fail on replay";
            }
            else if (session.WitnessReached && expectation.Kind == ExpectationKind.Reachable)
            {
                result.Note = $"witness state reached in iteration {session.WitnessIteration.ToString(CultureInfo.InvariantCulture)}";
            }
            return result;
        }
    }

    private static Configuration BuildConfiguration(CoyoteOptions options, string? reproducibleTrace)
    {
        var bcl = options.BclRaceChecking;
        var config = Configuration.Create()
            .WithTestingIterations(Math.Max(1, options.Iterations))
            .WithMaxSchedulingSteps(Math.Max(1, options.MaxSteps))
            .WithFailureOnMaxStepsBoundEnabled(options.FailOnMaxSteps)
            .WithTelemetryEnabled(false)
            .WithPotentialDeadlocksReportedAsBugs(true)
            .WithSystematicFuzzingFallbackEnabled(false)
            .WithPartiallyControlledConcurrencyAllowed(false)
            .WithAtomicOperationRaceCheckingEnabled(bcl)
            .WithVolatileOperationRaceCheckingEnabled(bcl)
            .WithLockAccessRaceCheckingEnabled(bcl)
            .WithMemoryAccessRaceCheckingEnabled(options.MemoryAccessRaceChecking)
            .WithConsoleLoggingEnabled(false)
            .WithVerbosityEnabled(Microsoft.Coyote.Logging.VerbosityLevel.None);
        if (options.Seed is { } seed)
        {
            config = config.WithRandomGeneratorSeed(seed);
        }
        config = CoyoteStrategies.Apply(config, options.Strategy, options.StrategyBound);
        if (options.Configure is not null)
        {
            config = options.Configure(config);
        }
        if (reproducibleTrace is not null)
        {
            config = config.WithReproducibleTrace(reproducibleTrace);
        }
        return config;
    }

    /// <summary>A bug Coyote found by itself (not one our checks asserted): a deadlock, the step bound, an unhandled exception.</summary>
    private static Observation Classify(string bugText, CoyoteWorld? world)
    {
        var blocked = world?.DescribeBlocked() ?? [];
        var blockedText = blocked.Count == 0 ? "" : "\n" + string.Join("\n", blocked);
        if (bugText.Contains("Potential deadlock", StringComparison.Ordinal))
        {
            // Coyote could not see what a task blocked on: blocking outside ISync/controlled primitives.
            return new Observation(FailureKinds.UncontrolledBlocking, null, "potential deadlock (uncontrolled blocking): " + bugText + blockedText);
        }
        if (bugText.Contains("Deadlock detected", StringComparison.Ordinal))
        {
            var what = blocked.Count == 0 ? "" : ": " + string.Join("; ", blocked);
            return new Observation(FailureKinds.Deadlock, null, "deadlock" + what);
        }
        if (bugText.Contains("Scheduling steps bound", StringComparison.Ordinal))
        {
            return new Observation(FailureKinds.StepBound, null, "step bound exceeded (livelock or starvation): " + bugText + blockedText);
        }
        if (bugText.Contains("Unhandled exception", StringComparison.Ordinal))
        {
            var type = ExceptionTypeIn(bugText);
            return new Observation(FailureKinds.Exception, type, bugText);
        }
        if (bugText.Contains("uncontrolled", StringComparison.OrdinalIgnoreCase)
            || bugText.Contains("is not intercepted and controlled", StringComparison.Ordinal))
        {
            return new Observation(FailureKinds.UncontrolledBlocking, null, bugText + blockedText);
        }
        return new Observation(FailureKinds.Exception, null, bugText + blockedText);
    }

    // "Unhandled exception. System.InvalidOperationException: ..." -> InvalidOperationException
    private static string? ExceptionTypeIn(string text)
    {
        var i = text.IndexOf("Unhandled exception. ", StringComparison.Ordinal);
        if (i < 0)
        {
            return null;
        }
        var rest = text[(i + "Unhandled exception. ".Length)..];
        var end = rest.IndexOfAny([':', ' ', '\n', '\r']);
        var full = end < 0 ? rest : rest[..end];
        var dot = full.LastIndexOf('.');
        return dot < 0 ? full : full[(dot + 1)..];
    }

    private static FailureInfo BuildFailure(Observation observed, Session session, LockDescriptor lk, Scenario scenario, string trace, string readableTrace, long iterations)
    {
        var world = session.LastWorld;
        var info = new FailureInfo
        {
            Kind = observed.Kind,
            Message = observed.CoyoteReport is { } report && !observed.Message.Contains(report, StringComparison.Ordinal)
                ? observed.Message + "\nCoyote: " + report
                : observed.Message,
            Replay = trace.Length == 0 ? "" : new ReplayToken(lk.Name, scenario.Name, trace).Encode(),
            Iteration = Math.Max(0, iterations - 1),
        };
        if (world is not null)
        {
            var names = world.Threads.Select(t => t.Name).ToList();
            info.Threads = names;
            var step = 0;
            foreach (var op in world.Operations)
            {
                var value = op.Before is null && op.After is null ? "" : op.Before is null ? $" = {op.After}" : $" {op.Before} -> {op.After}";
                var note = op.Note is null ? "" : $"  [{op.Note}]";
                info.Trace.Add($"{step,4}  {op.Thread.Name,-8} {op.Op} {op.Location}{value}{note}".TrimEnd());
                info.Steps.Add(new TraceStep
                {
                    Step = step,
                    Thread = Math.Max(0, world.Threads.IndexOf(op.Thread)),
                    Op = op.Op,
                    Location = op.Location,
                    Before = op.Before,
                    After = op.After,
                    Note = op.Note,
                });
                step++;
            }
            info.FailingStep = info.Steps.Count - 1;
            foreach (var line in world.DescribeBlocked())
            {
                info.Trace.Add("      blocked: " + line);
            }
        }
        if (readableTrace.Length > 0)
        {
            info.Trace.Add("--- Coyote readable trace ---");
            info.Trace.AddRange(readableTrace.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0));
        }
        return info;
    }

    /// <summary>What one run observed first.</summary>
    internal sealed record Observation(string Kind, string? ExceptionType, string Message)
    {
        public string? CoyoteReport { get; init; }
    }

    /// <summary>The state of one CoyoteRunner run; its IterationAsync is Coyote's test entry point.</summary>
    internal sealed class Session(Scenario scenario, LockDescriptor lockDescriptor, CoyoteOptions options)
    {
        public CoyoteOptions Options => options;

        public Observation? Failure { get; private set; }

        public bool WitnessReached { get; private set; }

        public long WitnessIteration { get; private set; }

        public long Iteration { get; private set; }

        public long TotalSteps { get; private set; }

        public CoyoteWorld? LastWorld { get; private set; }

        private ScenarioInstance? instance;

        /// <summary>Coyote's test entry point: one execution of the scenario.</summary>
        public async Task IterationAsync()
        {
            var world = new CoyoteWorld(options.RecordOperations);
            CoyoteWorld.Current = world;
            LastWorld = world;
            Iteration++;
            var inst = scenario.Create<CoyoteSync>(lockDescriptor);
            instance = inst;
            world.DescribeThread = inst.DescribeThread;
            var threads = new CoyoteThread[inst.Threads.Count];
            for (var i = 0; i < threads.Length; i++)
            {
                threads[i] = world.AddThread(i, inst.Threads[i].Name);
            }
            world.BeforeStep = () => Check(inst);
            var tasks = new Task[threads.Length];
            for (var i = 0; i < threads.Length; i++)
            {
                var thread = threads[i];
                var body = inst.Threads[i].Body;
                tasks[i] = Task.Run(() => RunThread(world, thread, body));
            }
            await Task.WhenAll(tasks);
            world.BeforeStep = null;
            Check(inst);
            string? final;
            try
            {
                final = inst.Final?.Invoke();
            }
            catch (Exception e) when (!IsCoyoteControl(e))
            {
                final = $"Final threw {e.GetType().Name}: {e.Message}";
            }
            if (final is not null)
            {
                Fail(FailureKinds.Invariant, null, "final state: " + final);
            }
        }

        public void EndIteration()
        {
            if (LastWorld is { } w)
            {
                TotalSteps += w.Steps;
            }
            var inst = instance;
            instance = null;
            inst?.Finished?.Invoke();
        }

        private void RunThread(CoyoteWorld world, CoyoteThread thread, Action body)
        {
            world.Bind(thread);
            try
            {
                body();
                thread.LastOperation = "finished";
                world.CheckNow();
            }
            catch (Exception e) when (!IsCoyoteControl(e))
            {
                if (e is ScenarioAssertionException)
                {
                    Fail(FailureKinds.Invariant, null, $"{thread.Name}: assertion failed: {e.Message}");
                }
                else
                {
                    Fail(FailureKinds.Exception, e.GetType().Name, $"{thread.Name} threw {e.GetType().Name}: {e.Message}");
                }
            }
            finally
            {
                world.Bind(null);
            }
        }

        private void Check(ScenarioInstance inst)
        {
            string? violated;
            try
            {
                violated = inst.Invariant?.Invoke();
                if (!WitnessReached && inst.Witness?.Invoke() == true)
                {
                    WitnessReached = true;
                    WitnessIteration = Iteration - 1;
                }
            }
            catch (Exception e) when (!IsCoyoteControl(e))
            {
                violated = $"the invariant threw {e.GetType().Name}: {e.Message}";
            }
            if (violated is not null)
            {
                Fail(FailureKinds.Invariant, null, "invariant violated: " + violated);
            }
        }

        private void Fail(string kind, string? exceptionType, string message)
        {
            Failure ??= new Observation(kind, exceptionType, message);
            Specification.Assert(false, "{0}", message);
        }
    }

    /// <summary>Exceptions Coyote uses to stop or unwind controlled tasks: never a scenario's failure.</summary>
    internal static bool IsCoyoteControl(Exception e) =>
        e is ThreadInterruptedException
        || (e.GetType().FullName?.StartsWith("Microsoft.Coyote.", StringComparison.Ordinal) ?? false);
}
