using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks.Catalog;

/// <summary>Go's runtime rwmutex: <see cref="ReaderQueueRwLock{TSync}"/>.</summary>
public sealed class ReaderQueueDescriptor : LockDescriptor
{
    public override string Name => "reader-queue";

    public override string Description =>
        "Go runtime rwmutex: parked-reader queue under rLock, readerPass for counted-but-unqueued readers, wLock, writer notesleep/notewakeup";

    public override LockTraits Traits => LockTraits.Go | LockTraits.ReaderQueue;

    public override string? ReadMisuseMessage => "runlock of unlocked rwmutex";

    public override string? WriteMisuseMessage => "unlock of unlocked rwmutex";

    public override IRwLock Create<TSync>() => new ReaderQueueRwLock<TSync>();
}
