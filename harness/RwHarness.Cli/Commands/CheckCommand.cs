using System.CommandLine;
using System.Diagnostics;
using RwHarness.Engine;
using RwHarness.Model;
using RwHarness.Reports;
using RwHarness.Results;

namespace RwHarness.Cli.Commands;

/// <summary><c>rwharness check</c>: every lock x scenario (or the ones named) under the engine.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var engine = new Option<string>("--engine") { Description = "native, coyote or both", DefaultValueFactory = _ => "native" };
        var locks = new Option<string[]>("--lock") { Description = "a lock to check (repeatable; default: every lock)" };
        var scenarios = new Option<string[]>("--scenario") { Description = "a scenario to run (repeatable; default: the default set; 'all' for every one)" };
        var strategy = new Option<string?>("--strategy") { Description = "random, pct or dfs (default: a portfolio of all three)" };
        var iterations = new Option<long?>("--iterations") { Description = "executions per case and strategy" };
        var seed = new Option<long?>("--seed") { Description = "seed (default 1, or RWH_SEED)" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "steps per execution before a livelock is reported (default 5000)" };
        var timeBudget = new Option<string?>("--time-budget") { Description = "wall-clock budget for the whole check, e.g. 30s" };
        var parallel = new Option<int?>("--parallel") { Description = "workers (default: the number of cores); results do not depend on it" };
        var preemption = new Option<int?>("--preemption-bound") { Description = "dfs: most preemptions per schedule (portfolio default 2)" };
        var pctDepth = new Option<int?>("--pct-depth") { Description = "pct: bug depth d (default 3)" };
        var watchdog = new Option<string?>("--watchdog") { Description = "time a thread may run without a scheduling point (default 2s)" };
        var assembly = new Option<string[]>("--assembly") { Description = "load user locks from this assembly (repeatable)" };
        var report = new Option<string?>("--report") { Description = "write results.json, junit.xml and index.html to this directory" };

        var command = new Command("check", "Explore every lock x scenario systematically; exit 1 when a case fails.");
        foreach (var o in new Option[] { engine, locks, scenarios, strategy, iterations, seed, maxSteps, timeBudget, parallel, preemption, pctDepth, watchdog, assembly, report })
        {
            command.Options.Add(o);
        }
        command.SetAction(p => Guard.Run("check", () =>
        {
            var clock = Stopwatch.StartNew();
            var engineName = p.GetValue(engine)!;
            if (engineName is not ("native" or "coyote" or "both"))
            {
                throw new UsageException($"unknown engine '{engineName}' (expected native, coyote or both)");
            }
            var userLocks = UserLocks.Load(p.GetValue(assembly) ?? []);
            var lockList = Catalogs.Locks(p.GetValue(locks) ?? [], userLocks);
            var scenarioList = Catalogs.Scenarios(p.GetValue(scenarios) ?? []);

            var baseOptions = CheckOptions.FromEnvironment(new CheckOptions());
            baseOptions = baseOptions with
            {
                Seed = p.GetValue(seed) ?? baseOptions.Seed,
                MaxSteps = p.GetValue(maxSteps) ?? baseOptions.MaxSteps,
                PctDepth = p.GetValue(pctDepth) ?? baseOptions.PctDepth,
                PreemptionBound = p.GetValue(preemption) ?? baseOptions.PreemptionBound,
                Watchdog = p.GetValue(watchdog) is { } w ? Durations.Parse(w) : baseOptions.Watchdog,
            };
            var strategies = p.GetValue(strategy) is { } st
                ? [baseOptions with { Strategy = st, Iterations = p.GetValue(iterations) ?? baseOptions.Iterations }]
                : CheckRunner.DefaultPortfolio(baseOptions).Select(o => p.GetValue(iterations) is { } n ? o with { Iterations = n } : o).ToList();
            var workers = p.GetValue(parallel) ?? Environment.ProcessorCount;
            if (workers < 1 || workers > 256)
            {
                throw new UsageException("--parallel must be between 1 and 256");
            }
            if (p.GetValue(timeBudget) is { } tb)
            {
                // The budget is for the whole check: each case gets its share.
                var total = Durations.Parse(tb);
                var cases = Math.Max(1, lockList.Count * scenarioList.Count * strategies.Count);
                var share = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, total.Ticks * workers / cases));
                strategies = strategies.Select(o => o with { TimeBudget = share, Iterations = p.GetValue(iterations) ?? long.MaxValue / 2 }).ToList();
            }
            foreach (var o in strategies)
            {
                o.Validate();
            }

            var results = new List<CaseResult>();
            if (engineName is "native" or "both")
            {
                Console.WriteLine($"native engine: {lockList.Count} lock(s) x {scenarioList.Count} scenario(s) x {strategies.Count} strateg{(strategies.Count == 1 ? "y" : "ies")}, {workers} worker(s)");
                results.AddRange(CheckRunner.Run(lockList, scenarioList, strategies, workers, CasePrinter.Print));
            }
            if (engineName is "coyote" or "both")
            {
                results.AddRange(CoyoteBridge.Run(lockList, scenarioList, baseOptions, p.GetValue(iterations), p.GetValue(assembly) ?? []));
            }
            if (engineName == "both")
            {
                results.AddRange(CoyoteBridge.Disagreements(results));
            }

            var run = new RunResults
            {
                Run = new RunInfo { CommandLine = "rwharness " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), StartedUtc = DateTimeOffset.UtcNow - clock.Elapsed, ElapsedMs = clock.ElapsedMilliseconds },
                Results = results,
            };
            var failed = results.Count(r => r.Verdict == Verdicts.Fail);
            Console.WriteLine();
            Console.WriteLine($"{results.Count} case(s): {results.Count - failed} passed, {failed} failed in {clock.Elapsed.TotalSeconds:0.0} s");
            if (p.GetValue(report) is { } dir)
            {
                ReportWriter.WriteAll(dir, run);
                Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(dir, "index.html"))}");
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
