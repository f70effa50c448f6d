using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// BRAVO over Go's <c>sync.RWMutex</c> for production: <see cref="BravoRwLock{TSync, TInner}"/> on
/// <see cref="RealSync"/> wrapping a <see cref="RwMutex"/> (through the struct handle
/// <see cref="RwMutexHandle"/>, so the code is specialised). Readers scale across cores while the lock is
/// read-biased; the read side must be exited on the thread that entered it.
/// </summary>
public sealed class BravoRwMutex : BravoRwLock<RealSync, RwMutexHandle>
{
    public BravoRwMutex()
        : base(new RwMutexHandle(new RwMutex()))
    {
    }

    /// <summary>The Go-style lock underneath the bias.</summary>
    public new RwMutex Inner => base.Inner.Mutex;
}
