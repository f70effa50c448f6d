using System.Runtime.CompilerServices;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// Go's <c>sync.RWMutex</c> (src/sync/rwmutex.go) on <see cref="ISync"/>: readers count themselves in
/// <c>readerCount</c>; a writer takes <c>w</c>, then negates <c>readerCount</c> by rwmutexMaxReaders so
/// arriving readers see a negative count and sleep on <c>readerSem</c>, and waits on <c>writerSem</c>
/// for the <c>readerWait</c> readers that were already in.
/// </summary>
/// <remarks>
/// Writer-preferring: once a writer has announced itself, no new reader enters before it, so recursive
/// read locking can deadlock (seed 004). Not bound to threads: a lock may be released by another thread.
/// Production code uses the sealed <see cref="RwMutex"/>; this generic base lets the harness run the same
/// code under a controlled backend.
/// </remarks>
public class CounterNegationRwLock<TSync> : IRwLock, IDescribeState
    where TSync : struct, ISync
{
    private const int rwmutexMaxReaders = 1 << 30;

    private GoMutex<TSync> w = new("w"); // held if there are pending writers
    private Sema writerSem;              // semaphore for writers to wait for completing readers
    private Sema readerSem;              // semaphore for readers to wait for completing writers
    private int readerWaitCell;          // number of departing readers

    // Every reader writes readerCount: keep it on a cache line of its own, away from w.state and
    // readerWait, which writers write.
    private PaddedInt32 readerCountLine; // number of pending readers

    private ReadLocker<CounterNegationRwLock<TSync>>? rlocker;

    /// <summary>Number of pending readers (Go: readerCount). Negative while a writer is pending.</summary>
    private ref int readerCount
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref readerCountLine.Value;
    }

    /// <summary>Number of departing readers a pending writer still waits for (Go: readerWait).</summary>
    private ref int readerWait
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref readerWaitCell;
    }

    /// <summary>Go: (*RWMutex).RLock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterRead()
    {
        if (TSync.Add(ref readerCount, 1) < 0)
        {
            // A writer is pending, wait for it.
            TSync.Semacquire(ref readerSem);
        }
    }

    /// <summary>Go: (*RWMutex).TryRLock.</summary>
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

    /// <summary>Go: (*RWMutex).RUnlock. Throws when the lock is not held for reading.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitRead()
    {
        var r = TSync.Add(ref readerCount, -1);
        if (r < 0)
        {
            // Outlined slow path to allow the fast path to be inlined.
            rUnlockSlow(r);
        }
    }

    /// <summary>Go: (*RWMutex).rUnlockSlow.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void rUnlockSlow(int r)
    {
        if (r + 1 == 0 || r + 1 == -rwmutexMaxReaders)
        {
            // Go calls fatal here. We throw instead, after undoing our decrement so the lock stays usable.
            TSync.Add(ref readerCount, 1);
            throw new SynchronizationLockException("sync: RUnlock of unlocked RWMutex");
        }
        // A writer is pending.
        if (TSync.Add(ref readerWait, -1) == 0)
        {
            // The last reader unblocks the writer.
            TSync.Semrelease(ref writerSem, false);
        }
    }

    /// <summary>Go: (*RWMutex).Lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterWrite()
    {
        // First, resolve competition with other writers.
        w.Lock();
        // Announce to readers there is a pending writer.
        var r = TSync.Add(ref readerCount, -rwmutexMaxReaders) + rwmutexMaxReaders;
        // Wait for active readers.
        if (r != 0)
        {
            waitForReaders(r);
        }
    }

    /// <summary>The rest of Go's Lock when readers are active, outlined so the uncontended write lock inlines.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void waitForReaders(int r)
    {
        if (TSync.Add(ref readerWait, r) != 0)
        {
            TSync.Semacquire(ref writerSem);
        }
    }

    /// <summary>Go: (*RWMutex).TryLock.</summary>
    public bool TryEnterWrite()
    {
        if (!w.TryLock())
        {
            return false;
        }
        if (TSync.CompareExchange(ref readerCount, -rwmutexMaxReaders, 0) != 0)
        {
            w.Unlock();
            return false;
        }
        return true;
    }

    /// <summary>Go: (*RWMutex).Unlock. Throws when the lock is not held for writing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitWrite()
    {
        // Announce to readers there is no active writer.
        var r = TSync.Add(ref readerCount, rwmutexMaxReaders);
        if (r != 0)
        {
            // Misuse, or readers arrived while we held the lock (outlined so the uncontended unlock inlines).
            unlockReaders(r);
        }
        // Allow other writers to proceed.
        w.Unlock();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void unlockReaders(int r)
    {
        if (r >= rwmutexMaxReaders)
        {
            // Go calls fatal here. We throw instead, after undoing our addition so the lock stays usable.
            TSync.Add(ref readerCount, -rwmutexMaxReaders);
            throw new SynchronizationLockException("sync: Unlock of unlocked RWMutex");
        }
        // Unblock blocked readers, if any.
        for (var i = 0; i < r; i++)
        {
            TSync.Semrelease(ref readerSem, false);
        }
    }

    /// <summary>Go: (*RWMutex).RLocker — the read side as a plain lock (Enter = RLock, Exit = RUnlock).</summary>
    public ReadLocker<CounterNegationRwLock<TSync>> RLocker() => rlocker ??= new ReadLocker<CounterNegationRwLock<TSync>>(this);

    /// <summary>Go's field names and values, e.g. "readerCount=1 readerWait=0 w.state=locked writerSem=0 readerSem=0".</summary>
    public string DescribeState() =>
        // Plain volatile reads, not TSync: describing the state must not be a scheduling point.
        $"readerCount={Volatile.Read(ref readerCount)} readerWait={Volatile.Read(ref readerWait)} "
        + $"w.state={w.Describe()} writerSem={Volatile.Read(ref writerSem.Count)} readerSem={Volatile.Read(ref readerSem.Count)}";
}
