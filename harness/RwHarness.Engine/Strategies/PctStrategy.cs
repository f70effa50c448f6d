using RwHarness.Engine.Runtime;

namespace RwHarness.Engine.Strategies;

/// <summary>
/// Probabilistic Concurrency Testing: Burckhardt, Kothari, Musuvathi, Nagarakatte,
/// "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010.
/// Threads get distinct random priorities d..d+n-1 and the highest-priority runnable thread always runs;
/// at d-1 random change points (among k steps) the running thread drops to priority 1..d-1.
/// A bug of depth d is found with probability at least 1/(n k^(d-1)) per execution.
/// A thread that yields in a spin loop drops below every other, so spinning cannot starve its peers.
/// </summary>
public sealed class PctStrategy : IStrategy
{
    private readonly long seed;
    private readonly int depth;
    private readonly int steps;
    private int[] priority = [];
    private int[] changePoints = [];
    private int step;
    private int lowest;
    private Rng rng;

    /// <param name="seed">Run seed.</param>
    /// <param name="depth">Bug depth d (d-1 priority change points).</param>
    /// <param name="steps">k: the expected number of choice points in one execution.</param>
    public PctStrategy(long seed, int depth, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        this.seed = seed;
        this.depth = depth;
        this.steps = Math.Max(1, steps);
    }

    public string Name => "pct";

    public int Depth => depth;

    public bool NewExecution(long iteration, int threadCount)
    {
        rng = new Rng(Rng.ForIteration(seed, iteration));
        priority = new int[threadCount];
        // A random permutation of d .. d+n-1 (Fisher-Yates).
        for (var i = 0; i < threadCount; i++)
        {
            priority[i] = depth + i;
        }
        for (var i = threadCount - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (priority[i], priority[j]) = (priority[j], priority[i]);
        }
        changePoints = new int[depth - 1];
        for (var i = 0; i < changePoints.Length; i++)
        {
            changePoints[i] = 1 + rng.Next(steps);
        }
        step = 0;
        lowest = 0;
        return true;
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current)
    {
        step++;
        for (var i = 0; i < changePoints.Length; i++)
        {
            if (changePoints[i] == step && current >= 0)
            {
                // Change point i: the running thread drops to priority i+1 (< d, below every initial one).
                priority[current] = i + 1;
            }
        }
        var best = enabled[0];
        foreach (var id in enabled)
        {
            if (priority[id] > priority[best])
            {
                best = id;
            }
        }
        return best;
    }

    /// <summary>A thread that yields in a spin loop drops below all others.</summary>
    public void OnYield(int thread)
    {
        if (thread >= 0 && thread < priority.Length)
        {
            priority[thread] = --lowest;
        }
    }
}
