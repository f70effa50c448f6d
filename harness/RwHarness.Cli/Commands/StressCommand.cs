using System.CommandLine;
using System.Diagnostics;
using RwHarness.Engine;
using RwHarness.Model;
using RwHarness.Reports;
using RwHarness.Results;
using RwHarness.Scenarios;
using RwHarness.Scenarios.Stress;

namespace RwHarness.Cli.Commands;

/// <summary>
/// <c>rwharness stress</c>: the stressable scenarios on real threads (RealSync) for a duration, with outcome
/// histograms graded like jcstress, plus the writer-preference measurement. Exit 1 on an overlap, a
/// forbidden outcome or a stuck run; 2 on bad input.
/// </summary>
internal static class StressCommand
{
    public static Command Create()
    {
        var locks = new Option<string[]>("--lock") { Description = "a lock to stress (repeatable; default: every shipped lock; mutants by name too)" };
        var scenarios = new Option<string[]>("--scenario") { Description = $"a scenario (repeatable; default: every stressable one, the sized hammer and {StressRunner.WriterPreferenceBound})" };
        var threads = new Option<int?>("--threads") { Description = "threads of the sized hammer and the writer-preference measurement (default: max(4, cores))" };
        var duration = new Option<string>("--duration") { Description = "total wall-clock budget, shared evenly by the runs, e.g. 10s", DefaultValueFactory = _ => "10s" };
        var watchdog = new Option<string>("--watchdog") { Description = "a round that takes longer is reported as stuck (default 5s)", DefaultValueFactory = _ => "5s" };
        var report = new Option<string?>("--report") { Description = "write results.json, junit.xml and index.html to this directory" };

        var command = new Command("stress", "Hammer the locks on real threads; outcome histograms graded acceptable/interesting/forbidden; exit 1 on an overlap or a stuck run.");
        foreach (var o in new Option[] { locks, scenarios, threads, duration, watchdog, report })
        {
            command.Options.Add(o);
        }
        command.SetAction(p => Guard.Run("stress", () =>
        {
            var clock = Stopwatch.StartNew();
            var lockNames = p.GetValue(locks) ?? [];
            IReadOnlyList<LockDescriptor> lockList = lockNames.Length == 0
                ? Catalogs.Locks([])
                : [.. lockNames.Select(n => Catalogs.FindLockOrMutant(n) ?? throw new UsageException($"unknown lock '{n}' (see `rwharness list`)"))];
            var threadCount = p.GetValue(threads) ?? Math.Max(4, Environment.ProcessorCount);
            if (threadCount is < 2 or > 64)
            {
                throw new UsageException("--threads must be between 2 and 64");
            }
            var total = Durations.Parse(p.GetValue(duration)!);
            var stuckAfter = Durations.Parse(p.GetValue(watchdog)!);

            var hammer = StressRunner.Hammer(threadCount);
            var names = p.GetValue(scenarios) ?? [];
            List<Scenario?> wanted; // null = the writer-preference measurement
            if (names.Length == 0)
            {
                wanted = [.. StressRunner.DefaultScenarios(ScenarioCatalog.Default, threadCount), null];
            }
            else
            {
                wanted = [.. names.Select(n =>
                    n == StressRunner.WriterPreferenceBound ? null
                    : n == hammer.Name ? hammer
                    : ScenarioCatalog.Find(n) is { } s
                        ? (StressRunner.IsStressable(s) ? s : throw new UsageException($"scenario '{n}' does not run on real threads (stressable: mutual-exclusion*, progress-*, go-hammer-*, go-parallel-readers-*, {StressRunner.WriterPreferenceBound})"))
                        : throw new UsageException($"unknown scenario '{n}' (see `rwharness list`)"))];
            }

            var runs = (from l in lockList
                        from s in wanted
                        where s is null || StressRunner.Applies(s, l)
                        select (Lock: l, Scenario: s)).ToList();
            if (runs.Count == 0)
            {
                throw new UsageException("no stress run applies to the locks and scenarios given");
            }
            var each = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(20).Ticks, total.Ticks / runs.Count));
            var options = new StressOptions { Duration = each, Threads = threadCount, StuckAfter = stuckAfter };
            options.Validate();
            Console.WriteLine($"stress: {runs.Count} run(s) on real threads, {each.TotalMilliseconds:0} ms each, watchdog {stuckAfter.TotalSeconds:0.###} s");

            var results = new List<StressResult>();
            foreach (var (l, s) in runs)
            {
                var r = s is null ? StressRunner.MeasureWriterPreference(l, options) : StressRunner.Run(l, s, options);
                results.Add(r);
                Print(r);
            }

            var failed = results.Count(r => r.Verdict == Verdicts.Fail);
            var run = new RunResults
            {
                Run = new RunInfo { CommandLine = "rwharness " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), StartedUtc = DateTimeOffset.UtcNow - clock.Elapsed, ElapsedMs = clock.ElapsedMilliseconds },
                Stress = results,
            };
            Console.WriteLine();
            Console.WriteLine($"{results.Count} stress run(s): {results.Count - failed} held, {failed} failed; {results.Sum(r => r.Overlaps)} overlap(s) in {clock.Elapsed.TotalSeconds:0.0} s");
            if (p.GetValue(report) is { } dir)
            {
                ReportWriter.WriteAll(dir, run);
                Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(dir, "index.html"))}");
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static void Print(StressResult r)
    {
        var verdict = r.Verdict == Verdicts.Pass ? "PASS" : "FAIL";
        Console.WriteLine($"{verdict} {r.Lock,-22} {r.Scenario,-26} {r.Threads,2} threads {r.Rounds,9:N0} rounds  max readers {r.MaxReadersTogether,2}  overlaps {r.Overlaps}  ({r.DurationMs} ms)");
        foreach (var o in r.Outcomes)
        {
            Console.WriteLine($"     {o.Count,12:N0}  {o.Grade,-11}  {o.Outcome}");
        }
        if (!string.IsNullOrEmpty(r.Message) && (r.Verdict == Verdicts.Fail || r.Scenario == StressRunner.WriterPreferenceBound))
        {
            Console.WriteLine($"     {r.Message}");
        }
    }
}
