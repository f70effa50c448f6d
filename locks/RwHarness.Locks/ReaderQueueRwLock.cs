using System.Runtime.CompilerServices;
using System.Text;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// Go's runtime <c>rwmutex</c> (src/runtime/rwmutex.go) on <see cref="ISync"/>: the same counter
/// negation as <c>sync.RWMutex</c>, but readers that find a writer pending queue themselves on
/// <c>readers</c> (linked through <see cref="ParkHandle.schedlink"/>) and sleep on their own note;
/// the writer sleeps on its note as <c>writer</c>. The writer's unlock wakes every queued reader and
/// adds the readers it counted but did not find queued to <c>readerPass</c>, so they skip the queue.
/// </summary>
/// <remarks>
/// notesleep + noteclear = <see cref="ISync.Park"/>, notewakeup = <see cref="ISync.Unpark"/>, getg().m =
/// <see cref="ISync.CurrentThread"/>. <c>rLock</c> and <c>wLock</c> are <see cref="RuntimeMutex{TSync}"/>s,
/// the runtime's own futex-based <c>mutex</c> (lock2/unlock2), as in Go. <c>readers</c>, <c>readerPass</c> and <c>writer</c>
/// are guarded by <c>rLock</c>, so they are plain fields; <c>readerCount</c> and <c>readerWait</c> are
/// atomics and go through TSync. Production code uses the sealed <see cref="RuntimeRwMutex"/>.
/// <para>
/// One addition, on the real backend only: before rlock queues and before lock parks, a bounded wait that only
/// reads (ReaderQueueRwLock.RealBackend.cs says why it cannot change the algorithm's outcomes, and what it gains).
/// </para>
/// </remarks>
public partial class ReaderQueueRwLock<TSync> : IRwLock, IDescribeState, IReaderQueueIntrospection
    where TSync : struct, ISync
{
    private const int rwmutexMaxReaders = 1 << 30;

    private RuntimeMutex<TSync> rLock = new("rLock"); // protects readers, readerPass, writer
    private ParkHandle? readers;                 // list of pending readers
    private uint readerPass;                     // number of pending readers to skip readers list

    private RuntimeMutex<TSync> wLock = new("wLock"); // serializes writers
    private ParkHandle? writer;                  // pending writer waiting for completing readers

    private int readerWaitCell;                  // number of departing readers
    private PaddedInt32 readerCountLine;         // number of pending readers (own cache line)

    private ReadLocker<ReaderQueueRwLock<TSync>>? rlocker;

    private ref int readerCount
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref readerCountLine.Value;
    }

    private ref int readerWait
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref readerWaitCell;
    }

    /// <summary>Go: (*rwmutex).rlock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterRead()
    {
        if (TSync.Add(ref readerCount, 1) < 0)
        {
            // A writer is pending. Park on the reader queue.
            rlockSlow();
        }
    }

    /// <summary>The systemstack part of Go's (*rwmutex).rlock.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void rlockSlow()
    {
        // Real backend only: a bounded wait for the writer to finish first (see SpinUntilPassed); the rest is Go's.
        var spun = !TSync.IsControlled && TSync.CanSpin(0) && SpinUntilPassed();
        rLock.Lock();
        if (readerPass > 0)
        {
            // Writer finished.
            readerPass -= 1;
            if (spun)
            {
                readerSpinPasses++;
            }
            rLock.Unlock();
        }
        else
        {
            // Queue this reader to be woken by the writer.
            var m = TSync.CurrentThread;
            m.schedlink = readers;
            readers = m;
            rLock.Unlock();
            TSync.Park(); // notesleep(&m.park); noteclear(&m.park)
        }
    }

    /// <summary>
    /// Addition (the runtime has no tryrlock): succeeds only when no writer is pending, by the same
    /// CompareExchange loop as sync's TryRLock, so a failed attempt leaves no trace in readerCount.
    /// </summary>
    public bool TryEnterRead()
    {
        while (true)
        {
            var c = TSync.Load(ref readerCount);
            if (c < 0)
            {
                return false;
            }
            if (TSync.CompareExchange(ref readerCount, c + 1, c) == c)
            {
                return true;
            }
        }
    }

    /// <summary>Go: (*rwmutex).runlock. Throws when the lock is not held for reading.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitRead()
    {
        var r = TSync.Add(ref readerCount, -1);
        if (r < 0)
        {
            runlockSlow(r);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void runlockSlow(int r)
    {
        if (r + 1 == 0 || r + 1 == -rwmutexMaxReaders)
        {
            // The runtime throws (fatal). We throw an exception instead, after undoing our decrement.
            TSync.Add(ref readerCount, 1);
            throw new SynchronizationLockException("runlock of unlocked rwmutex");
        }
        // A writer is pending.
        if (TSync.Add(ref readerWait, -1) == 0)
        {
            // The last reader unblocks the writer.
            rLock.Lock();
            var w = writer;
            if (w is not null)
            {
                TSync.Unpark(w); // notewakeup(&w.park)
            }
            rLock.Unlock();
        }
    }

    /// <summary>Go: (*rwmutex).lock.</summary>
    public void EnterWrite()
    {
        // Resolve competition with other writers.
        wLock.Lock();
        // Announce that there is a pending writer.
        var r = TSync.Add(ref readerCount, -rwmutexMaxReaders) + rwmutexMaxReaders;
        // Real backend only: a bounded wait for those readers to leave first (see SpinUntilReadersLeft); the rest is Go's.
        var spun = !TSync.IsControlled && r != 0 && TSync.CanSpin(0) && SpinUntilReadersLeft(r);
        // Wait for any active readers to complete.
        rLock.Lock();
        if (r != 0 && TSync.Add(ref readerWait, r) != 0)
        {
            // Wait for reader to wake us up. (Go reads m := getg().m at the top of Lock; we look the thread
            // up only when it must sleep: the lookup is a thread-static read the uncontended path can skip.)
            writer = TSync.CurrentThread;
            rLock.Unlock();
            TSync.Park(); // notesleep(&m.park); noteclear(&m.park)
        }
        else
        {
            if (spun)
            {
                writerSpinWaits++;
            }
            rLock.Unlock();
        }
    }

    /// <summary>
    /// Addition (the runtime has no trylock), shaped like sync's TryLock: take wLock without waiting,
    /// then swing readerCount from 0 straight to -rwmutexMaxReaders, or give wLock back.
    /// </summary>
    public bool TryEnterWrite()
    {
        if (!wLock.TryLock())
        {
            return false;
        }
        if (TSync.CompareExchange(ref readerCount, -rwmutexMaxReaders, 0) != 0)
        {
            wLock.Unlock();
            return false;
        }
        return true;
    }

    /// <summary>Go: (*rwmutex).unlock. Throws when the lock is not held for writing.</summary>
    public void ExitWrite()
    {
        // Announce to readers that there is no active writer.
        var r = TSync.Add(ref readerCount, rwmutexMaxReaders);
        if (r >= rwmutexMaxReaders)
        {
            // The runtime throws (fatal). We throw an exception instead, after undoing our addition.
            TSync.Add(ref readerCount, -rwmutexMaxReaders);
            throw new SynchronizationLockException("unlock of unlocked rwmutex");
        }
        // Unblock blocked readers.
        rLock.Lock();
        while (readers is not null)
        {
            var reader = readers;
            readers = reader.schedlink;
            reader.schedlink = null;
            TSync.Unpark(reader); // notewakeup(&reader.park)
            r -= 1;
        }
        // If r > 0, there are pending readers that aren't on the queue. Tell them to skip waiting.
        readerPass += (uint)r;
        rLock.Unlock();
        // Allow other writers to proceed.
        wLock.Unlock();
    }

    /// <summary>The read side as a plain lock (Enter = rlock, Exit = runlock).</summary>
    public ReadLocker<ReaderQueueRwLock<TSync>> RLocker() => rlocker ??= new ReadLocker<ReaderQueueRwLock<TSync>>(this);

    /// <summary>Go's field names and values, e.g. "readerCount=-1073741823 readerWait=1 readerPass=0 readers=[] writer=T1 wLock.state=locked rLock.state=unlocked".</summary>
    public string DescribeState()
    {
        // Plain reads, not TSync: describing the state must not be a scheduling point.
        var sb = new StringBuilder();
        sb.Append("readerCount=").Append(Volatile.Read(ref readerCount));
        sb.Append(" readerWait=").Append(Volatile.Read(ref readerWait));
        sb.Append(" readerPass=").Append(Volatile.Read(ref readerPass));
        sb.Append(" readers=[");
        var n = 0;
        for (var q = Volatile.Read(ref readers); q is not null && n < 64; q = q.schedlink, n++)
        {
            sb.Append(n == 0 ? "" : ",").Append(q.Name);
        }
        sb.Append("] writer=").Append(Volatile.Read(ref writer)?.Name ?? "nil");
        sb.Append(" wLock.state=").Append(wLock.Describe());
        sb.Append(" rLock.state=").Append(rLock.Describe());
        return sb.ToString();
    }

    /// <inheritdoc/>
    uint IReaderQueueIntrospection.ReaderPass => Volatile.Read(ref readerPass);

    /// <inheritdoc/>
    int IReaderQueueIntrospection.QueuedReaders
    {
        get
        {
            var n = 0;
            for (var r = readers; r is not null; r = r.schedlink)
            {
                n++;
            }
            return n;
        }
    }
}
