namespace RwHarness.Engine.Runtime;

/// <summary>
/// The engine's waiter queue for one <see cref="RwHarness.Sync.Sema"/> (Go: a semaRoot entry).
/// Tied to the execution that created it, so a semaphore reused across executions starts clean.
/// </summary>
internal sealed class ControlledSemaQueue(Execution owner)
{
    public Execution Owner { get; } = owner;

    public readonly LinkedList<VirtualThread> Waiters = new();
}

/// <summary>The threads waiting in WaitExternal on one resource (for example one ReaderWriterLockSlim).</summary>
internal sealed class ExternalWaiters
{
    public readonly List<VirtualThread> Waiters = [];
}
