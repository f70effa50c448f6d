namespace RwHarness.Sync;

/// <summary>
/// A thread as lock code sees it: Go's <c>m</c>. Lock code may link handles into its own queues
/// through <see cref="schedlink"/>, exactly as Go's runtime rwmutex links parked readers through
/// <c>m.schedlink</c>; that field is guarded by the lock that owns the queue.
/// </summary>
public sealed class ParkHandle
{
    /// <summary>
    /// Ids the first constructor hands out start here; the numbers below are for backends that number their own
    /// threads (the second constructor), so a handle from one can never share an id with a handle from the other
    /// (BRAVO gives each numbered thread its own visible-readers slot, which must not be shared).
    /// </summary>
    public const int FirstProcessWideId = 1 << 16;

    private static int nextId = FirstProcessWideId - 1;

    /// <summary>Go: m.schedlink. Owned by whichever lock currently queues this thread.</summary>
#pragma warning disable IDE1006 // keep Go's field name
    public ParkHandle? schedlink;
#pragma warning restore IDE1006

    /// <summary>A number that names the thread: small (1, 2, ...) for numbered virtual threads, else process-wide.</summary>
    public int Id { get; }

    /// <summary>A name for traces and deadlock reports (for example "T1").</summary>
    public string Name { get; set; }

    /// <summary>Backend-owned state (the real parker, or the engine's virtual thread).</summary>
    public object? Backend { get; set; }

    // Used by RealSync's semaphore queues: a thread waits on at most one semaphore at a time,
    // so its queue node is the handle itself and waiting allocates nothing.
    internal ParkHandle? semaNext;
    internal int semaTicket;

    public ParkHandle(string? name = null)
    {
        Id = Interlocked.Increment(ref nextId);
        Name = name ?? $"thread#{Id}";
    }

    /// <summary>
    /// A handle with a chosen id. Controlled backends number their virtual threads themselves so that
    /// anything derived from the id (a hash slot, say) is the same in a replay as in the original run.
    /// </summary>
    public ParkHandle(int id, string name)
    {
        if (id is <= 0 or >= FirstProcessWideId)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"a chosen id is 1..{FirstProcessWideId - 1}");
        }
        Id = id;
        Name = name;
    }

    public override string ToString() => Name;
}
