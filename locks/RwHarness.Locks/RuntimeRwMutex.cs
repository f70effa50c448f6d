using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// Go's runtime <c>rwmutex</c> for production: <see cref="ReaderQueueRwLock{TSync}"/> on
/// <see cref="RealSync"/>. Sealed, so calls through a <c>RuntimeRwMutex</c> reference are direct.
/// </summary>
public sealed class RuntimeRwMutex : ReaderQueueRwLock<RealSync>
{
}
