using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks.Catalog;

/// <summary>Go's sync.RWMutex: <see cref="CounterNegationRwLock{TSync}"/>.</summary>
public sealed class CounterNegationDescriptor : LockDescriptor
{
    public override string Name => "counter-negation";

    public override string Description =>
        "Go sync.RWMutex: readerCount negated by rwmutexMaxReaders while a writer is pending, readerWait, writer mutex w, writerSem/readerSem";

    public override LockTraits Traits => LockTraits.Go;

    public override string? ReadMisuseMessage => "sync: RUnlock of unlocked RWMutex";

    public override string? WriteMisuseMessage => "sync: Unlock of unlocked RWMutex";

    public override IRwLock Create<TSync>() => new CounterNegationRwLock<TSync>();
}
