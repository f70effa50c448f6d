namespace RwHarness.Sync;

/// <summary>
/// The real backend's per-thread sleeper: two independent wake-up flags (Go's note, and the
/// semaphore wake-up) over one event, so a stale notewakeup can never end a semaphore wait.
/// </summary>
internal sealed class RealParker
{
    // Spin briefly first: a waker usually arrives within a few hundred nanoseconds.
    private const int SpinIterations = 64;

    private readonly ManualResetEventSlim evt = new(false, spinCount: 1);

    public int NotePermit;
    public int SemaWake;

    /// <summary>Blocks until <paramref name="flag"/> is 1, then consumes it.</summary>
    public void WaitAndConsume(ref int flag)
    {
        for (var i = 0; i < SpinIterations; i++)
        {
            if (Interlocked.Exchange(ref flag, 0) == 1)
            {
                return;
            }
            Thread.SpinWait(8);
        }
        while (true)
        {
            // The flag is checked after Reset, so a wake-up between Wait and Reset is never lost.
            if (Interlocked.Exchange(ref flag, 0) == 1)
            {
                return;
            }
            evt.Wait();
            evt.Reset();
        }
    }

    public void Signal(ref int flag)
    {
        Volatile.Write(ref flag, 1);
        evt.Set();
    }
}
