using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks.Catalog;

/// <summary>BRAVO over Go's sync.RWMutex: <see cref="BravoRwLock{TSync, TInner}"/> around <see cref="CounterNegationRwLock{TSync}"/>.</summary>
/// <remarks>
/// Not <see cref="LockTraits.WriterPreferring"/>: while the bias is on, readers enter through the
/// visible-readers table even when a writer waits for the inner lock. <see cref="LockTraits.ThreadAffine"/>:
/// a reader finds its slot by its thread, so ExitRead must run on the thread that entered.
/// </remarks>
public sealed class BravoDescriptor : LockDescriptor
{
    public override string Name => "bravo";

    public override string Description =>
        "BRAVO (Dice & Kogan, ATC 2019) over counter-negation: visible-readers table, RBias, revocation, InhibitUntil = now + 9 x revocation time";

    public override LockTraits Traits => LockTraits.SharedReaders | LockTraits.ThrowsOnMisuse | LockTraits.ThreadAffine;

    public override string? ReadMisuseMessage => "sync: RUnlock of unlocked RWMutex";

    public override string? WriteMisuseMessage => "sync: Unlock of unlocked RWMutex";

    public override IRwLock Create<TSync>() =>
        new BravoRwLock<TSync, CounterNegationRwLock<TSync>>(new CounterNegationRwLock<TSync>());
}
