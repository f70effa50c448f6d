namespace RwHarness.Locks;

/// <summary>
/// The reader-queue lock's two waits on the real backend: a reader that meets a writer, and a writer that meets
/// readers, first wait a bounded time without queueing. Controlled backends (the engine, Coyote) never run this
/// code: they explore Go's algorithm as written. Like Go's own spinning, neither wait runs on a single processor
/// (<c>CanSpin</c>), where the thread it waits for cannot run meanwhile.
/// </summary>
/// <remarks>
/// <para>
/// Why (issue 3; measured by scenarios/RwHarness.Benchmarks, docs/benchmarks.md): Go's runtime <c>rwmutex</c> is
/// built for rare writers. A reader that meets a writer takes <c>rLock</c>, queues and parks; the writer's unlock
/// takes <c>rLock</c> again to wake it; a writer that meets readers takes <c>rLock</c> and parks until the last
/// one leaves, who takes <c>rLock</c> to wake it. With two threads at 90 % reads that happened on most writes,
/// every <c>rLock</c> collision cost a 0.8 us <c>procyield</c>, and the lock ran 0.6x-0.9x ReaderWriterLockSlim's
/// throughput in every full run, while a write section lasts tens of nanoseconds.
/// </para>
/// <para>
/// Why it cannot break the algorithm: each wait only reads (plain loads of fields the algorithm already has)
/// and always ends, after at most PreSpins pauses; then Go's code runs unchanged. So every execution with these
/// waits is an execution of Go's algorithm in which the waiting thread was merely slow to reach its next step,
/// which the algorithm must (and the engine checks it does) tolerate; the readerPass accounting is untouched
/// (a reader still consumes its pass under <c>rLock</c>).
/// </para>
/// </remarks>
public partial class ReaderQueueRwLock<TSync>
{
    /// <summary>Real backend only: the most pauses either wait makes before it does what Go does (~3.5 us here).</summary>
    private const int PreSpins = 32;

    /// <summary>Real backend only: <see cref="Thread.SpinWait(int)"/> iterations per pause, ~110 ns here.</summary>
    private const int PreSpinPause = 4;

    // Diagnostics only, written under rLock: readers that got their readerPass after waiting instead of queueing,
    // and writers that found their readers gone after waiting instead of parking.
    private long readerSpinPasses;
    private long writerSpinWaits;

    /// <summary>Readers that waited for a writer's unlock and then skipped the queue (real backend; a diagnostic).</summary>
    internal long ReaderSpinPasses => Volatile.Read(ref readerSpinPasses);

    /// <summary>Writers that waited for their readers to leave and then did not park (real backend; a diagnostic).</summary>
    internal long WriterSpinWaits => Volatile.Read(ref writerSpinWaits);

    /// <summary>
    /// Real backend, before rlock's queueing: waits until a writer's unlock has left a readerPass (Go's unlock counts
    /// this reader, which is not queued, so it adds one) and rLock looks free, or PreSpins pauses have passed.
    /// Returns whether it saw that; the caller then takes rLock and does exactly what Go does.
    /// </summary>
    private bool SpinUntilPassed()
    {
        for (var i = 0; i < PreSpins; i++)
        {
            if (Volatile.Read(ref readerPass) > 0 && !rLock.LooksHeld)
            {
                return true;
            }
            Thread.SpinWait(PreSpinPause);
        }
        return false;
    }

    /// <summary>
    /// Real backend, in lock after announcing the writer: waits until the <paramref name="r"/> readers it counted
    /// have all left (each runlock that meets the pending writer subtracts one from readerWait, which starts at 0,
    /// so readerWait is -r), or PreSpins pauses have passed. Then lock's <c>readerWait.Add(r)</c> finds 0 and the
    /// writer does not park. Returns whether it saw that.
    /// </summary>
    private bool SpinUntilReadersLeft(int r)
    {
        for (var i = 0; i < PreSpins; i++)
        {
            if (Volatile.Read(ref readerWait) == -r)
            {
                return true;
            }
            Thread.SpinWait(PreSpinPause);
        }
        return false;
    }
}
