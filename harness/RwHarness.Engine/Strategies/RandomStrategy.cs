using RwHarness.Engine.Runtime;

namespace RwHarness.Engine.Strategies;

/// <summary>
/// Uniform random scheduling: at every choice, any runnable thread with equal probability.
/// Each iteration draws from its own seed (derived from the run's seed and the iteration number),
/// so results do not depend on how many workers share the run.
/// </summary>
public sealed class RandomStrategy(long seed) : IStrategy
{
    private Rng rng;

    public string Name => "random";

    public bool NewExecution(long iteration, int threadCount)
    {
        rng = new Rng(Rng.ForIteration(seed, iteration));
        return true;
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current) => enabled[rng.Next(enabled.Length)];
}
