using System.CommandLine;
using System.Diagnostics;
using RwHarness.Engine;
using RwHarness.Engine.Mutation;
using RwHarness.Model;
using RwHarness.Reports;
using RwHarness.Results;
using RwHarness.Scenarios;

namespace RwHarness.Cli.Commands;

/// <summary>
/// <c>rwharness mutants</c>: the mutation gate. Runs the default check budget on every deliberately broken
/// lock and ends with <c>caught K of N mutants</c>; exit 1 when one survives.
/// </summary>
internal static class MutantsCommand
{
    public static Command Create()
    {
        var engine = new Option<string>("--engine") { Description = "native (the mutation gate runs on the native engine)", DefaultValueFactory = _ => "native" };
        var mutants = new Option<string[]>("--mutant") { Description = "a mutant to run (repeatable; default: every mutant)" };
        var seed = new Option<long?>("--seed") { Description = "seed (default 1, or RWH_SEED)" };
        var parallel = new Option<int?>("--parallel") { Description = "mutants explored at once (default: the number of cores); results do not depend on it" };
        var report = new Option<string?>("--report") { Description = "write results.json, junit.xml and index.html to this directory" };

        var command = new Command("mutants", "Run the default check budget on every deliberately broken lock; ends with `caught K of N mutants`, exit 1 if one survives.");
        foreach (var o in new Option[] { engine, mutants, seed, parallel, report })
        {
            command.Options.Add(o);
        }
        command.SetAction(p => Guard.Run("mutants", () =>
        {
            var clock = Stopwatch.StartNew();
            var engineName = p.GetValue(engine)!;
            if (engineName != "native")
            {
                throw new UsageException($"unsupported engine '{engineName}' for mutants (expected native)");
            }
            var names = p.GetValue(mutants) ?? [];
            IReadOnlyList<LockDescriptor> subjects = names.Length == 0
                ? Catalogs.Mutants()
                : [.. names.Select(n => Catalogs.Mutants().FirstOrDefault(m => m.Name == n)
                    ?? throw new UsageException($"unknown mutant '{n}' (known: {string.Join(", ", Catalogs.Mutants().Select(m => m.Name))})"))];
            var workers = p.GetValue(parallel) ?? Environment.ProcessorCount;
            if (workers < 1 || workers > 256)
            {
                throw new UsageException("--parallel must be between 1 and 256");
            }
            var baseOptions = CheckOptions.FromEnvironment(new CheckOptions());
            baseOptions = baseOptions with { Seed = p.GetValue(seed) ?? baseOptions.Seed };
            baseOptions.Validate();

            Console.WriteLine($"native engine: {subjects.Count} mutant(s) x {ScenarioCatalog.Default.Count} scenario(s), default portfolio (dfs, pct, random) until the first failure, {workers} worker(s)");
            var results = MutationRunner.Run(subjects, ScenarioCatalog.Default, baseOptions, workers, Print);

            var caught = results.Count(r => r.Caught);
            var run = new RunResults
            {
                Run = new RunInfo { CommandLine = "rwharness " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), StartedUtc = DateTimeOffset.UtcNow - clock.Elapsed, ElapsedMs = clock.ElapsedMilliseconds },
                Mutants = results,
            };
            Console.WriteLine();
            if (p.GetValue(report) is { } dir)
            {
                ReportWriter.WriteAll(dir, run);
                Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(dir, "index.html"))}");
            }
            Console.WriteLine($"caught {caught} of {results.Count} mutants");
            return caught == results.Count ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static void Print(MutantResult m)
    {
        if (!m.Caught)
        {
            Console.WriteLine($"MISSED {m.Mutant,-36} survived {m.Schedules} schedules: {m.Description}");
            if (m.Failure is { } e)
            {
                Console.WriteLine($"       {e.Kind}: {e.Message}");
            }
            return;
        }
        Console.WriteLine($"CAUGHT {m.Mutant,-36} by {m.Scenario,-28} {m.Strategy,-7} after {m.Schedules} schedule(s)");
        if (m.Failure is { } f)
        {
            Console.WriteLine($"       {f.Kind}: {OneLine(f.Message)}");
            if (!string.IsNullOrEmpty(f.Replay))
            {
                Console.WriteLine($"       replay: rwharness replay '{f.Replay}'");
            }
        }
    }

    private static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length <= 200 ? line : line[..197] + "...";
    }
}
