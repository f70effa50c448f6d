namespace RwHarness.Sync;

/// <summary>
/// The real backend's per-thread sleeper: two independent wake-up flags (Go's note, and the
/// semaphore wake-up) over one event, so a stale notewakeup can never end a semaphore wait.
/// </summary>
/// <remarks>
/// A waiter spins first, reading its flag; only a waiter that gave up spinning announces itself in
/// <see cref="sleeping"/> and blocks on the event, so waking a thread that is still spinning costs one
/// atomic write and no event operation (Signal used to Set the event on every wake-up).
/// </remarks>
internal sealed class RealParker
{
    // Spin briefly first: a waker usually arrives within a few hundred nanoseconds.
    private const int SpinIterations = 64;

    private readonly ManualResetEventSlim evt = new(false, spinCount: 1);

    // 1 while the owner may be blocked on evt. Dekker with Signal: the waiter writes sleeping then reads its
    // flag, the signaller writes the flag then reads sleeping, each write a full fence (Interlocked), so
    // at least one of them sees the other's write and no wake-up is lost.
    private int sleeping;

    public int NotePermit;
    public int SemaWake;

    /// <summary>Blocks until <paramref name="flag"/> is 1, then consumes it.</summary>
    public void WaitAndConsume(ref int flag)
    {
        for (var i = 0; i < SpinIterations; i++)
        {
            // Read before the exchange: polling with a plain read keeps the line shared until the waker writes.
            if (Volatile.Read(ref flag) == 1 && Interlocked.Exchange(ref flag, 0) == 1)
            {
                return;
            }
            Thread.SpinWait(8);
        }
        while (true)
        {
            // Reset before announcing: a Set that follows the announcement is never erased.
            evt.Reset();
            Interlocked.Exchange(ref sleeping, 1);
            if (Interlocked.Exchange(ref flag, 0) == 1)
            {
                Volatile.Write(ref sleeping, 0);
                return;
            }
            evt.Wait();
            Volatile.Write(ref sleeping, 0);
        }
    }

    public void Signal(ref int flag)
    {
        Interlocked.Exchange(ref flag, 1);
        if (Volatile.Read(ref sleeping) == 1)
        {
            evt.Set();
        }
    }
}
