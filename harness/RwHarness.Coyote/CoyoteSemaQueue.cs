namespace RwHarness.Coyote;

/// <summary>
/// CoyoteSync's waiter queue for one <see cref="RwHarness.Sync.Sema"/> (Go: the semaRoot entry for the
/// semaphore's address). FIFO by default, LIFO on request. Hangs off <c>Sema.Waiters</c>.
/// </summary>
internal sealed class CoyoteSemaQueue
{
    private readonly LinkedList<CoyoteThread> waiters = new();

    public CoyoteSemaQueue(int id)
    {
        Id = id;
    }

    /// <summary>Names this semaphore in traces and deadlock reports (name#Id): the source name alone is the same for every instance of a lock type.</summary>
    public int Id { get; }

    /// <summary>Go: semaRoot.nwait.</summary>
    public int Count => waiters.Count;

    public void Enqueue(CoyoteThread waiter, bool lifo)
    {
        if (lifo)
        {
            waiters.AddFirst(waiter);
        }
        else
        {
            waiters.AddLast(waiter);
        }
    }

    public CoyoteThread? Dequeue()
    {
        var first = waiters.First;
        if (first is null)
        {
            return null;
        }
        waiters.RemoveFirst();
        return first.Value;
    }
}
