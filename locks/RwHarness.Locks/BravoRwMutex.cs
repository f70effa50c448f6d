using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// BRAVO over Go's <c>sync.RWMutex</c> for production: <see cref="BravoRwLock{TSync, TInner}"/> on
/// <see cref="RealSync"/> wrapping a <see cref="RwMutex"/>. Readers scale across cores while the lock
/// is read-biased; the read side must be exited on the thread that entered it.
/// </summary>
public sealed class BravoRwMutex : BravoRwLock<RealSync, RwMutex>
{
    public BravoRwMutex()
        : base(new RwMutex())
    {
    }
}
