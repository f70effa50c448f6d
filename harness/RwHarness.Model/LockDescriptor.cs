using RwHarness.Sync;

namespace RwHarness.Model;

/// <summary>
/// A lock the harness can test: its name, what it promises, and a factory generic over the backend,
/// so one descriptor yields the production lock (RealSync), the engine's controlled copy and Coyote's.
/// </summary>
public abstract class LockDescriptor
{
    /// <summary>Stable name used on the command line, in results and in replay tokens (kebab-case).</summary>
    public abstract string Name { get; }

    public virtual string Description => "";

    public abstract LockTraits Traits { get; }

    /// <summary>The message ExitRead throws when the read side is not held, if the lock documents one.</summary>
    public virtual string? ReadMisuseMessage => null;

    /// <summary>The message ExitWrite throws when the write side is not held, if the lock documents one.</summary>
    public virtual string? WriteMisuseMessage => null;

    /// <summary>Creates a fresh, unlocked instance running on backend <typeparamref name="TSync"/>.</summary>
    public abstract IRwLock Create<TSync>()
        where TSync : struct, ISync;

    public bool Has(LockTraits trait) => (Traits & trait) == trait;

    public override string ToString() => Name;
}

/// <summary>What a lock promises; scenarios derive their expected outcome from these.</summary>
[Flags]
public enum LockTraits
{
    None = 0,

    /// <summary>Once a writer waits, no new reader enters before it (Go's locks).</summary>
    WriterPreferring = 1 << 0,

    /// <summary>Exiting a side that is not held throws SynchronizationLockException.</summary>
    ThrowsOnMisuse = 1 << 1,

    /// <summary>Recursive acquisition throws LockRecursionException instead of deadlocking (RWLS NoRecursion).</summary>
    ThrowsOnRecursion = 1 << 2,

    /// <summary>Recursive acquisition by the owning thread succeeds (RWLS SupportsRecursion).</summary>
    SupportsRecursion = 1 << 3,

    /// <summary>Several readers may hold the lock at once.</summary>
    SharedReaders = 1 << 4,

    /// <summary>The lock is bound to threads (RWLS): a lock entered on one thread must be exited on it.</summary>
    ThreadAffine = 1 << 5,

    /// <summary>The lock uses the runtime rwmutex's parked-reader queue and readerPass accounting.</summary>
    ReaderQueue = 1 << 6,

    /// <summary>Go's locks: writer-preferring, shared readers, misuse throws.</summary>
    Go = WriterPreferring | ThrowsOnMisuse | SharedReaders,
}
