using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using RwHarness.Coyote;
using RwHarness.Engine;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios;

namespace RwHarness.Cli.Commands;

/// <summary>
/// <c>rwharness compare-engines</c>: the differential evidence between the native engine and Coyote.
/// For each broken lock, finds the scenario that catches it, then runs it under each engine and strategy
/// for several seeds and reports the median number of executions to the first bug; also measures both
/// engines' executions per second on the same 2-reader + 1-writer scenario in the same run.
/// Prints a Markdown table (and writes it to --out).
/// </summary>
internal static class CompareEnginesCommand
{
    private static readonly string[] NativeStrategies = ["random", "pct", "dfs"];
    private static readonly string[] CoyoteStrategyNames = [CoyoteStrategies.Random, CoyoteStrategies.Pct, CoyoteStrategies.Portfolio];

    public static Command Create()
    {
        var locks = new Option<string[]>("--lock") { Description = "locks to compare (default: every mutant)" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per strategy (medians are over these)", DefaultValueFactory = _ => 5 };
        var nativeBudget = new Option<long>("--native-iterations") { Description = "native budget per run", DefaultValueFactory = _ => 5000 };
        var coyoteBudget = new Option<uint>("--coyote-iterations") { Description = "Coyote budget per run", DefaultValueFactory = _ => 300 };
        var output = new Option<string?>("--out") { Description = "write the Markdown table to this file" };
        var command = new Command("compare-engines", "Differential evidence: median executions to the first bug per engine and strategy, and both engines' speed.");
        foreach (var o in new Option[] { locks, seeds, nativeBudget, coyoteBudget, output })
        {
            command.Options.Add(o);
        }
        command.SetAction(p => Guard.Run("compare-engines", () =>
        {
            var seedCount = p.GetValue(seeds);
            if (seedCount is < 1 or > 100)
            {
                throw new UsageException("--seeds must be between 1 and 100");
            }
            var names = p.GetValue(locks) ?? [];
            var subjects = names.Length == 0 ? Catalogs.Mutants() : names.Select(n => Catalogs.FindLockOrMutant(n) ?? throw new UsageException($"unknown lock '{n}'")).ToList();
            var md = Run(subjects, seedCount, p.GetValue(nativeBudget), p.GetValue(coyoteBudget));
            Console.WriteLine(md);
            if (p.GetValue(output) is { } file)
            {
                File.WriteAllText(file, md);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Run(IReadOnlyList<LockDescriptor> subjects, int seeds, long nativeBudget, uint coyoteBudget)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Median executions to the first bug over {seeds} seed(s) (native budget {nativeBudget}, Coyote budget {coyoteBudget}; `-` = not found within the budget; dfs is deterministic, one run).");
        sb.AppendLine();
        sb.Append("| lock | caught by scenario |");
        foreach (var s in NativeStrategies)
        {
            sb.Append(" native ").Append(s).Append(" |");
        }
        foreach (var s in CoyoteStrategyNames)
        {
            sb.Append(" coyote ").Append(s).Append(" |");
        }
        sb.AppendLine();
        sb.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", NativeStrategies.Length + CoyoteStrategyNames.Length)));
        foreach (var lk in subjects)
        {
            var scenario = CatchingScenario(lk, nativeBudget);
            sb.Append("| ").Append(lk.Name).Append(" | ").Append(scenario?.Name ?? "(none: not caught)").Append(" |");
            foreach (var strategy in NativeStrategies)
            {
                var runs = strategy == "dfs" ? 1 : seeds;
                sb.Append(' ').Append(scenario is null ? "-" : Median(Enumerable.Range(1, runs).Select(seed =>
                    ToFirstBug(Explorer.Check(scenario, lk, new CheckOptions { Strategy = strategy, Iterations = nativeBudget, Seed = seed, PreemptionBound = strategy == "dfs" ? 2 : null })!)))).Append(" |");
            }
            foreach (var strategy in CoyoteStrategyNames)
            {
                sb.Append(' ').Append(scenario is null ? "-" : Median(Enumerable.Range(1, seeds).Select(seed =>
                    ToFirstBug(CoyoteRunner.Run(scenario, lk, new CoyoteOptions { Strategy = strategy, Iterations = coyoteBudget, Seed = (uint)seed }))))).Append(" |");
            }
            sb.AppendLine();
            Console.Error.WriteLine($"compared {lk.Name}");
        }
        sb.AppendLine();
        sb.AppendLine(Speed());
        return sb.ToString();
    }

    /// <summary>The first default scenario whose native portfolio fails on the lock.</summary>
    private static Scenario? CatchingScenario(LockDescriptor lk, long budget)
    {
        foreach (var s in ScenarioCatalog.Default)
        {
            if (s.Expect(lk).Kind == ExpectationKind.NotApplicable)
            {
                continue;
            }
            foreach (var strategy in NativeStrategies)
            {
                var r = Explorer.Check(s, lk, new CheckOptions { Strategy = strategy, Iterations = budget, PreemptionBound = strategy == "dfs" ? 2 : null });
                if (r?.Verdict == Verdicts.Fail)
                {
                    return s;
                }
            }
        }
        return null;
    }

    private static long? ToFirstBug(CaseResult r) => r.Verdict == Verdicts.Fail ? r.Iterations : null;

    private static string Median(IEnumerable<long?> runs)
    {
        var list = runs.ToList();
        var found = list.Where(x => x.HasValue).Select(x => x!.Value).OrderBy(x => x).ToList();
        if (found.Count == 0)
        {
            return "-";
        }
        // Runs that did not find the bug count as +infinity for the median.
        var all = found.Select(x => (double)x).Concat(Enumerable.Repeat(double.PositiveInfinity, list.Count - found.Count)).OrderBy(x => x).ToList();
        var m = all.Count % 2 == 1 ? all[all.Count / 2] : (all[(all.Count / 2) - 1] + all[all.Count / 2]) / 2;
        var median = double.IsInfinity(m) ? "-" : m.ToString("0.#", CultureInfo.InvariantCulture);
        return found.Count == list.Count ? median : $"{median} ({found.Count}/{list.Count} found)";
    }

    /// <summary>Both engines on the 2-reader + 1-writer scenario of about 40 steps, in this run.</summary>
    private static string Speed()
    {
        var lk = ShippedLocks.Find("counter-negation")!;
        var scenario = ScenarioCatalog.Find("progress-r2-w1-x2")!;
        var native = Explorer.Check(scenario, lk, new CheckOptions { Strategy = "random", Iterations = 20_000 })!;
        var native2 = Explorer.Check(scenario, lk, new CheckOptions { Strategy = "random", Iterations = 20_000, Parallel = 2 })!;
        var clock = Stopwatch.StartNew();
        var coyote = CoyoteRunner.Run(scenario, lk, new CoyoteOptions { Strategy = CoyoteStrategies.Random, Iterations = 500 });
        clock.Stop();
        double Rate(CaseResult r) => r.Iterations / Math.Max(0.001, r.ElapsedMs / 1000.0);
        var steps = native.Steps / (double)Math.Max(1, native.Iterations);
        return string.Create(CultureInfo.InvariantCulture,
            $"Speed on counter-negation x progress-r2-w1-x2 (random, {steps:0} steps per execution): native {Rate(native):0} executions/s on one worker, {Rate(native2):0}/s on two; Coyote {Rate(coyote):0}/s; native/Coyote = {Rate(native) / Math.Max(1, Rate(coyote)):0}x (one worker).");
    }
}
