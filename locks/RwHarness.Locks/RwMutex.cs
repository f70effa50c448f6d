using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// Go's <c>sync.RWMutex</c> for production: <see cref="CounterNegationRwLock{TSync}"/> on
/// <see cref="RealSync"/>. Sealed, so calls through a <c>RwMutex</c> reference are direct and inlinable.
/// </summary>
public sealed class RwMutex : CounterNegationRwLock<RealSync>
{
}
