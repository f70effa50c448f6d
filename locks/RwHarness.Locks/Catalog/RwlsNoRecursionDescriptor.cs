using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks.Catalog;

/// <summary>ReaderWriterLockSlim with <see cref="LockRecursionPolicy.NoRecursion"/>: recursion throws.</summary>
/// <remarks>
/// Not <see cref="LockTraits.WriterPreferring"/>: RWLS shuts new readers out only once a writer has
/// registered as waiting (after its spin phase), and under a controlled backend a writer only ever makes
/// zero-timeout attempts, so readers keep entering while it waits.
/// </remarks>
public sealed class RwlsNoRecursionDescriptor : LockDescriptor
{
    public override string Name => "rwls-norecursion";

    public override string Description =>
        "System.Threading.ReaderWriterLockSlim (NoRecursion), each call one atomic step under the engine";

    public override LockTraits Traits =>
        LockTraits.SharedReaders | LockTraits.ThreadAffine | LockTraits.ThrowsOnMisuse | LockTraits.ThrowsOnRecursion;

    public override IRwLock Create<TSync>() => new RwlsAdapter<TSync>(LockRecursionPolicy.NoRecursion);
}
