namespace RwHarness.Sync;

/// <summary>
/// The real backend's waiter queue for one <see cref="Sema"/> (Go: the semaRoot entry for one address,
/// runtime/sema.go). FIFO by default, LIFO on request; nodes are the waiting threads' handles.
/// </summary>
internal sealed class RealSemaQueue
{
    public readonly Lock Gate = new();

    /// <summary>Go: semaRoot.nwait. Read without the lock on the release fast path.</summary>
    public int Nwait;

    private ParkHandle? head;
    private ParkHandle? tail;

    public void Enqueue(ParkHandle waiter, bool lifo)
    {
        waiter.semaNext = null;
        if (head is null)
        {
            head = tail = waiter;
        }
        else if (lifo)
        {
            waiter.semaNext = head;
            head = waiter;
        }
        else
        {
            tail!.semaNext = waiter;
            tail = waiter;
        }
    }

    public ParkHandle? Dequeue()
    {
        var w = head;
        if (w is null)
        {
            return null;
        }
        head = w.semaNext;
        if (head is null)
        {
            tail = null;
        }
        w.semaNext = null;
        return w;
    }

    public static RealSemaQueue For(ref Sema sema)
    {
        if (Volatile.Read(ref sema.Waiters) is RealSemaQueue q)
        {
            return q;
        }
        var fresh = new RealSemaQueue();
        return Interlocked.CompareExchange(ref sema.Waiters, fresh, null) as RealSemaQueue ?? fresh;
    }
}
