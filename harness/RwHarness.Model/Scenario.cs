using RwHarness.Sync;

namespace RwHarness.Model;

/// <summary>
/// A scenario is data: thread bodies over a lock plus invariants, written against ISync. It names no
/// engine type, so the native engine, Coyote and the real-thread stress runner all run the same one.
/// </summary>
public abstract class Scenario
{
    /// <summary>Stable name used on the command line, in results and in replay tokens (kebab-case).</summary>
    public abstract string Name { get; }

    /// <summary>One line: what the scenario proves.</summary>
    public abstract string Description { get; }

    /// <summary>What should happen with <paramref name="lockDescriptor"/>.</summary>
    public virtual Expectation Expect(LockDescriptor lockDescriptor) => Expectation.Holds;

    /// <summary>Builds one fresh execution: a new lock, new shared state, new thread bodies.</summary>
    public abstract ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
        where TSync : struct, ISync;

    public override string ToString() => Name;
}

/// <summary>One execution's worth of a scenario.</summary>
public sealed class ScenarioInstance
{
    public ScenarioInstance(params ThreadSpec[] threads)
    {
        if (threads.Length == 0)
        {
            throw new ArgumentException("a scenario needs at least one thread", nameof(threads));
        }
        Threads = threads;
    }

    public IReadOnlyList<ThreadSpec> Threads { get; }

    /// <summary>Checked at every scheduling step; returns null when it holds, else what is wrong.</summary>
    public Func<string?>? Invariant { get; init; }

    /// <summary>Checked once every thread has finished; returns null when it holds.</summary>
    public Func<string?>? Final { get; init; }

    /// <summary>For reachability scenarios: true once the goal state has been reached.</summary>
    public Func<bool>? Witness { get; init; }

    /// <summary>The lock's (and the scenario's) state, printed after each traced step.</summary>
    public Func<string>? DescribeState { get; init; }

    /// <summary>What a thread is doing, for deadlock reports (for example "holds write; in EnterRead").</summary>
    public Func<int, string?>? DescribeThread { get; init; }

    /// <summary>Called once the execution ended (normally or not), for scenario-side bookkeeping.</summary>
    public Action? Finished { get; init; }
}

/// <summary>A virtual thread: a name for traces and the body it runs.</summary>
public sealed record ThreadSpec(string Name, Action Body);
