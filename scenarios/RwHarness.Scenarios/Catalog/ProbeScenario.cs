using System.Runtime.CompilerServices;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>Shared plumbing: a fresh lock and probe per execution, exclusion checked at every step.</summary>
public abstract class ProbeScenario : Scenario
{
    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var threads = ThreadNames;
        var probe = new LockProbe<TSync>(lockDescriptor.Create<TSync>(), threads.Count);
        var bodies = Bodies(probe, lockDescriptor);
        var instance = new ScenarioInstance(threads.Select((n, i) => new ThreadSpec(n, bodies[i])).ToArray())
        {
            Invariant = () => probe.Exclusion() ?? Invariant(probe),
            Final = () => probe.NoLostUpdate() ?? Final(probe),
            Witness = Witness(probe),
            DescribeState = probe.Describe,
            DescribeThread = probe.DescribeThread,
        };
        if (!TSync.IsControlled)
        {
            // Real threads (stress mode) read the probe's counts after each round; engines do not need it.
            Probes.Add(instance, probe);
        }
        return instance;
    }

    private static readonly ConditionalWeakTable<ScenarioInstance, object> Probes = [];

    /// <summary>The probe behind an instance created on a real backend (stress mode reads its counts), or null.</summary>
    public static LockProbe<TSync>? ProbeOf<TSync>(ScenarioInstance instance)
        where TSync : struct, ISync => Probes.TryGetValue(instance, out var p) ? p as LockProbe<TSync> : null;

    /// <summary>The virtual threads' names, in id order.</summary>
    protected abstract IReadOnlyList<string> ThreadNames { get; }

    protected abstract Action[] Bodies<TSync>(LockProbe<TSync> probe, LockDescriptor lockDescriptor)
        where TSync : struct, ISync;

    protected virtual string? Invariant<TSync>(LockProbe<TSync> probe)
        where TSync : struct, ISync => null;

    protected virtual string? Final<TSync>(LockProbe<TSync> probe)
        where TSync : struct, ISync => null;

    protected virtual Func<bool>? Witness<TSync>(LockProbe<TSync> probe)
        where TSync : struct, ISync => null;

    /// <summary>Spins (a visible yield each round) until <paramref name="condition"/> holds.</summary>
    protected static void SpinUntil<TSync>(Func<bool> condition)
        where TSync : struct, ISync
    {
        while (!condition())
        {
            TSync.Yield();
        }
    }

    /// <summary>
    /// Waits until thread <paramref name="thread"/> waits inside one of the lock's Enter calls (blocked or
    /// spinning there). Without a scheduler view (real threads), yields a few times instead.
    /// </summary>
    protected static void WaitUntilWaiting<TSync>(LockProbe<TSync> probe, int thread)
        where TSync : struct, ISync
    {
        if (Scheduler.Current is { } view)
        {
            while (!(probe.InEnter(thread) && view.IsWaiting(thread)))
            {
                TSync.Yield();
            }
            return;
        }
        for (var i = 0; i < 16; i++)
        {
            TSync.Yield();
        }
    }
}
