using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Engine;

/// <summary>
/// Runs a matrix of locks x scenarios x strategies on the native engine, spreading cases over workers.
/// Every case is explored on one worker with its own seed, so the results are the same whatever the
/// number of workers; they come back in matrix order.
/// </summary>
public static class CheckRunner
{
    /// <summary>The portfolio a plain check runs per case: bounded-exhaustive dfs, then PCT and random.</summary>
    public static IReadOnlyList<CheckOptions> DefaultPortfolio(CheckOptions baseOptions) =>
    [
        baseOptions with { Strategy = "dfs", Iterations = 2000, PreemptionBound = baseOptions.PreemptionBound ?? 2 },
        baseOptions with { Strategy = "pct", Iterations = 300 },
        baseOptions with { Strategy = "random", Iterations = 300 },
    ];

    public static List<CaseResult> Run(
        IReadOnlyList<LockDescriptor> locks,
        IReadOnlyList<Scenario> scenarios,
        IReadOnlyList<CheckOptions> strategies,
        int parallel,
        Action<CaseResult>? onResult = null)
    {
        var cases = (from l in locks
                     from s in scenarios
                     from o in strategies
                     select (Lock: l, Scenario: s, Options: o)).ToList();
        var results = new CaseResult?[cases.Count];
        var next = -1;
        var gate = new Lock();

        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cases.Count)
            {
                var (l, s, o) = cases[i];
                CaseResult? r;
                try
                {
                    r = Explorer.Check(s, l, o);
                }
                catch (Exception e)
                {
                    // A broken lock factory or scenario is a failed case, never a crashed run.
                    r = new CaseResult
                    {
                        Lock = l.Name,
                        Scenario = s.Name,
                        Strategy = o.Strategy,
                        Verdict = Verdicts.Fail,
                        Failure = new FailureInfo { Kind = FailureKinds.Exception, Message = $"the case could not run: {e.GetType().Name}: {e.Message}" },
                    };
                }
                results[i] = r;
                if (r is not null && onResult is not null)
                {
                    lock (gate)
                    {
                        onResult(r);
                    }
                }
            }
        }

        var threads = Enumerable.Range(1, Math.Max(1, parallel) - 1).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Work();
        threads.ForEach(t => t.Join());
        return results.Where(r => r is not null).Select(r => r!).ToList();
    }
}
