using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// <see cref="ReaderWriterLockSlim"/> behind <see cref="IRwLock"/> for production:
/// <see cref="RwlsAdapter{TSync}"/> on <see cref="RealSync"/>, so every call is the RWLS call itself.
/// </summary>
public sealed class RwlsLock : RwlsAdapter<RealSync>
{
    public RwlsLock(LockRecursionPolicy recursionPolicy = LockRecursionPolicy.NoRecursion)
        : base(recursionPolicy)
    {
    }
}
