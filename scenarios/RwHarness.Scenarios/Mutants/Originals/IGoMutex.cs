namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// What <see cref="CounterNegationCopy{TSync, TMutex}"/> needs of its writer mutex <c>w</c>: Go's sync.Mutex
/// surface. Implemented by <see cref="ShippedGoMutex{TSync}"/> (the original) and by mutant mutexes. A struct
/// type argument, called on the field itself, so the mutex is mutated in place as the original's is.
/// </summary>
public interface IGoMutex<TSelf>
    where TSelf : struct, IGoMutex<TSelf>
{
    /// <summary>An unlocked mutex whose operations traces print as <paramref name="name"/>.state / .sema.</summary>
    static abstract TSelf Create(string name);

    void Lock();

    bool TryLock();

    void Unlock();

    string Describe();
}
