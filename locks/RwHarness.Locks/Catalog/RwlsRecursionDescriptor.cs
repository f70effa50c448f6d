using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks.Catalog;

/// <summary>ReaderWriterLockSlim with <see cref="LockRecursionPolicy.SupportsRecursion"/>: the owner may re-enter.</summary>
/// <remarks>Not <see cref="LockTraits.WriterPreferring"/>, for the reasons given on <see cref="RwlsNoRecursionDescriptor"/>.</remarks>
public sealed class RwlsRecursionDescriptor : LockDescriptor
{
    public override string Name => "rwls-recursion";

    public override string Description =>
        "System.Threading.ReaderWriterLockSlim (SupportsRecursion), each call one atomic step under the engine";

    public override LockTraits Traits =>
        LockTraits.SharedReaders | LockTraits.ThreadAffine | LockTraits.ThrowsOnMisuse | LockTraits.SupportsRecursion;

    public override IRwLock Create<TSync>() => new RwlsAdapter<TSync>(LockRecursionPolicy.SupportsRecursion);
}
