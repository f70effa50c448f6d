namespace RwHarness.Sync;

/// <summary>
/// A Go runtime semaphore: the <c>uint32</c> count Go's sync package passes by address
/// (<c>writerSem</c>, <c>readerSem</c>, <c>Mutex.sema</c>), plus the waiter queue the backend hangs off it.
/// </summary>
/// <remarks>
/// Go keys waiter queues by the count's address; .NET's GC moves objects, so the queue lives here
/// instead, allocated on first contention by whichever backend is in use. Keep it a field of the lock
/// and pass it by <c>ref</c>, never copy it.
/// </remarks>
public struct Sema
{
    /// <summary>The semaphore count (Go: the uint32 itself).</summary>
    public uint Count;

    /// <summary>Backend-owned waiter queue; null until a thread first waits.</summary>
    public object? Waiters;

    public Sema(uint count)
    {
        Count = count;
        Waiters = null;
    }

    public override readonly string ToString() => Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
