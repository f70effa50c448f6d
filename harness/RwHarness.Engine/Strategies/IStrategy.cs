namespace RwHarness.Engine.Strategies;

/// <summary>
/// A scheduling strategy, in shuttle's shape: told when a new execution starts, asked who runs next.
/// The engine only asks where at least two threads can run, and handles spin-loop yields itself.
/// </summary>
public interface IStrategy
{
    /// <summary>The name used on the command line and in results.</summary>
    string Name { get; }

    /// <summary>Prepares execution <paramref name="iteration"/>; false when there is nothing left to explore.</summary>
    bool NewExecution(long iteration, int threadCount);

    /// <summary>
    /// Picks the next thread. <paramref name="enabled"/> holds the runnable thread ids in ascending order
    /// (at least two); <paramref name="current"/> is the thread that just stopped if it may go on, else -1.
    /// </summary>
    int NextThread(ReadOnlySpan<int> enabled, int current);

    /// <summary>A thread yielded in a spin loop (the engine already lets others go first).</summary>
    void OnYield(int thread)
    {
    }

    /// <summary>True once the strategy has covered its whole (bounded) space.</summary>
    bool Exhausted => false;
}

/// <summary>A replayed schedule asked for a thread that cannot run: the program differs from the one recorded.</summary>
public sealed class ReplayDivergenceException(string message) : Exception(message);
