using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// Go's <c>rlocker</c>: a view of a reader/writer lock's read side as a plain lock. Enter takes the
/// read lock, Exit releases it; the view holds no state of its own.
/// </summary>
public sealed class ReadLocker<TLock> : ILocker
    where TLock : class, IRwLock
{
    private readonly TLock rw;

    public ReadLocker(TLock rw) => this.rw = rw ?? throw new ArgumentNullException(nameof(rw));

    /// <summary>Go: (*rlocker).Lock = rw.RLock.</summary>
    public void Enter() => rw.EnterRead();

    /// <summary>Go: (*rlocker).Unlock = rw.RUnlock.</summary>
    public void Exit() => rw.ExitRead();
}
