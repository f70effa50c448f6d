using RwHarness.Sync;

namespace RwHarness.Engine.Tests.Programs;

/// <summary>A minimal mutex on ISync (CAS fast path, Go semaphore for waiters), for the engine's own test programs.</summary>
internal sealed class SemaMutex<TSync>(string name)
    where TSync : struct, ISync
{
    private int state;
    private Sema sema;

    public string Name { get; } = name;

    public void Lock()
    {
        while (TSync.Exchange(ref state, 1) != 0)
        {
            TSync.Semacquire(ref sema);
        }
    }

    public void Unlock()
    {
        TSync.Store(ref state, 0);
        TSync.Semrelease(ref sema);
    }
}
