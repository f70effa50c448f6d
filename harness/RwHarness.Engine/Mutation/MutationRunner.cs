using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Engine.Mutation;

/// <summary>
/// Mutation testing of the harness itself (in the line of PIT and mutmut, with hand-written mutants):
/// runs the default check portfolio (<see cref="CheckRunner.DefaultPortfolio"/>) of every applicable
/// scenario on each deliberately broken lock, in the order given, and stops at the first scenario and
/// strategy whose verdict is fail. A mutant is caught when some case fails, whatever the kind: an
/// invariant, a deadlock, a step-bound overrun, an exception, or an expected outcome that no longer
/// shows (expectation-not-met). The mutants and scenarios come in as data; the engine knows neither.
/// </summary>
public static class MutationRunner
{
    /// <summary>Runs every mutant; results come back in the order of <paramref name="mutants"/>, whatever the number of workers.</summary>
    /// <param name="mutants">The broken locks.</param>
    /// <param name="scenarios">The scenarios to try, in order (each against each mutant's expectation).</param>
    /// <param name="baseOptions">Seed, step bound and so on; the portfolio sets strategy and iterations.</param>
    /// <param name="parallel">Mutants explored at once (each on one worker).</param>
    /// <param name="onResult">Called once per mutant as it finishes (serialised).</param>
    public static List<MutantResult> Run(
        IReadOnlyList<LockDescriptor> mutants,
        IReadOnlyList<Scenario> scenarios,
        CheckOptions baseOptions,
        int parallel = 1,
        Action<MutantResult>? onResult = null)
    {
        var portfolio = CheckRunner.DefaultPortfolio(baseOptions);
        var results = new MutantResult?[mutants.Count];
        var next = -1;
        var gate = new Lock();

        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < mutants.Count)
            {
                var r = RunOne(mutants[i], scenarios, portfolio);
                results[i] = r;
                if (onResult is not null)
                {
                    lock (gate)
                    {
                        onResult(r);
                    }
                }
            }
        }

        var threads = Enumerable.Range(1, Math.Clamp(parallel, 1, Math.Max(1, mutants.Count)) - 1)
            .Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Work();
        threads.ForEach(t => t.Join());
        return [.. results.Select(r => r!)];
    }

    /// <summary>Tries <paramref name="scenarios"/> x <paramref name="portfolio"/> on one mutant until a case fails.</summary>
    public static MutantResult RunOne(LockDescriptor mutant, IReadOnlyList<Scenario> scenarios, IReadOnlyList<CheckOptions> portfolio)
    {
        long explored = 0;
        foreach (var scenario in scenarios)
        {
            if (scenario.Expect(mutant).Kind == ExpectationKind.NotApplicable)
            {
                continue;
            }
            foreach (var options in portfolio)
            {
                CaseResult? r;
                try
                {
                    r = Explorer.Check(scenario, mutant, options);
                }
                catch (Exception e)
                {
                    // A mutant whose factory or scenario cannot even run is not "caught": report it as missed.
                    return new MutantResult
                    {
                        Mutant = mutant.Name,
                        Description = mutant.Description,
                        Caught = false,
                        Scenario = scenario.Name,
                        Strategy = options.Strategy,
                        Schedules = explored,
                        Failure = new FailureInfo { Kind = FailureKinds.Exception, Message = $"the case could not run: {e.GetType().Name}: {e.Message}" },
                    };
                }
                if (r is null)
                {
                    continue;
                }
                explored += r.Iterations;
                if (r.Verdict == Verdicts.Fail)
                {
                    return new MutantResult
                    {
                        Engine = r.Engine,
                        Mutant = mutant.Name,
                        Description = mutant.Description,
                        Caught = true,
                        Scenario = r.Scenario,
                        Strategy = r.Strategy,
                        Schedules = r.Iterations,
                        Failure = r.Failure,
                    };
                }
            }
        }
        return new MutantResult
        {
            Mutant = mutant.Name,
            Description = mutant.Description,
            Caught = false,
            Schedules = explored,
            Failure = null,
        };
    }
}
