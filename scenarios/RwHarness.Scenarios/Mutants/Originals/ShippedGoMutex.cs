using RwHarness.Locks;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// The shipped <see cref="GoMutex{TSync}"/> behind <see cref="IGoMutex{TSelf}"/>, so
/// <see cref="CounterNegationCopy{TSync, TMutex}"/> with this mutex is the original lock, and with a mutant
/// mutex hosts that mutant. Calls go to the field in place (a struct wrapping a struct, never copied).
/// </summary>
public struct ShippedGoMutex<TSync> : IGoMutex<ShippedGoMutex<TSync>>
    where TSync : struct, ISync
{
    private GoMutex<TSync> m;

    private ShippedGoMutex(string name) => m = new GoMutex<TSync>(name);

    public static ShippedGoMutex<TSync> Create(string name) => new(name);

    public void Lock() => m.Lock();

    public bool TryLock() => m.TryLock();

    public void Unlock() => m.Unlock();

    public readonly string Describe() => m.Describe();
}
