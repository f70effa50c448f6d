using RwHarness.Cli.Commands;
using RwHarness.Coyote;
using RwHarness.Engine;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Cli;

/// <summary>Runs cases on the Coyote backend and cross-checks its verdicts against the native engine's.</summary>
internal static class CoyoteBridge
{
    public static List<CaseResult> Run(IReadOnlyList<LockDescriptor> locks, IReadOnlyList<Scenario> scenarios, CheckOptions baseOptions, long? iterations, IReadOnlyList<string> assemblies)
    {
        var all = locks.Concat(assemblies.SelectMany(UserAssemblyLocks.Load)).ToList();
        var options = new CoyoteOptions
        {
            Iterations = (uint)Math.Clamp(iterations ?? 100, 1, uint.MaxValue),
            MaxSteps = (uint)baseOptions.MaxSteps,
            Seed = (uint)(baseOptions.Seed & 0xFFFFFFFF),
        };
        Console.WriteLine($"coyote engine: {all.Count} lock(s) x {scenarios.Count} scenario(s), {options.Iterations} iterations, strategy {options.Strategy}");
        var results = new List<CaseResult>();
        foreach (var l in all)
        {
            foreach (var s in scenarios)
            {
                if (s.Expect(l).Kind == ExpectationKind.NotApplicable)
                {
                    continue;
                }
                var r = CoyoteRunner.Run(s, l, options);
                CasePrinter.Print(r);
                results.Add(r);
            }
        }
        return results;
    }

    /// <summary>One engine-disagreement failure per lock x scenario whose native and Coyote verdicts differ.</summary>
    public static IEnumerable<CaseResult> Disagreements(IReadOnlyList<CaseResult> results)
    {
        foreach (var g in results.GroupBy(r => (r.Lock, r.Scenario)))
        {
            var native = g.Where(r => r.Engine == "native").ToList();
            var coyote = g.Where(r => r.Engine == CoyoteRunner.EngineName).ToList();
            if (native.Count == 0 || coyote.Count == 0)
            {
                continue;
            }
            var nv = native.All(r => r.Verdict == Verdicts.Pass) ? Verdicts.Pass : Verdicts.Fail;
            var cv = coyote.All(r => r.Verdict == Verdicts.Pass) ? Verdicts.Pass : Verdicts.Fail;
            if (nv == cv)
            {
                continue;
            }
            var detail = string.Join("; ", g.Where(r => r.Verdict == Verdicts.Fail).Select(r => $"{r.Engine}/{r.Strategy}: {r.Failure?.Kind}: {r.Failure?.Message}"));
            var disagreement = new CaseResult
            {
                Engine = "both",
                Lock = g.Key.Lock,
                Scenario = g.Key.Scenario,
                Strategy = "cross-check",
                Expected = native[0].Expected,
                Verdict = Verdicts.Fail,
                Failure = new FailureInfo
                {
                    Kind = FailureKinds.EngineDisagreement,
                    Message = $"native says {nv}, coyote says {cv}: {detail}",
                    Replay = g.FirstOrDefault(r => r.Failure?.Replay is { Length: > 0 })?.Failure?.Replay ?? "",
                },
            };
            CasePrinter.Print(disagreement);
            yield return disagreement;
        }
    }
}
