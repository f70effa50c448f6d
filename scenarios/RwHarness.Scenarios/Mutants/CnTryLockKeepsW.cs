using System.Runtime.CompilerServices;
using RwHarness.Locks;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// Go's sync.RWMutex with one bug: a failed TryLock keeps the writer mutex w.
/// Otherwise a verbatim copy of <c>locks/RwHarness.Locks/CounterNegationRwLock.cs</c> (without RLocker); the one change is marked with a MUTANT comment.
/// </summary>
public sealed class CnTryLockKeepsW<TSync> : IRwLock, IDescribeState
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
    public void EnterWrite()
    {
        // First, resolve competition with other writers.
        w.Lock();
        // Announce to readers there is a pending writer.
        var r = TSync.Add(ref readerCount, -rwmutexMaxReaders) + rwmutexMaxReaders;
        // Wait for active readers.
        if (r != 0 && TSync.Add(ref readerWait, r) != 0)
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
            // MUTANT: w is not released on this failure path.
            return false;
        }
        return true;
    }

    /// <summary>Go: (*RWMutex).Unlock. Throws when the lock is not held for writing.</summary>
    public void ExitWrite()
    {
        // Announce to readers there is no active writer.
        var r = TSync.Add(ref readerCount, rwmutexMaxReaders);
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
        // Allow other writers to proceed.
        w.Unlock();
    }

    /// <summary>Go's field names and values, e.g. "readerCount=1 readerWait=0 w.state=locked writerSem=0 readerSem=0".</summary>
    public string DescribeState() =>
        // Plain volatile reads, not TSync: describing the state must not be a scheduling point.
        $"readerCount={Volatile.Read(ref readerCount)} readerWait={Volatile.Read(ref readerWait)} "
        + $"w.state={w.Describe()} writerSem={Volatile.Read(ref writerSem.Count)} readerSem={Volatile.Read(ref readerSem.Count)}";
}

/// <summary>The descriptor of <c>mutant-cn-trylock-keeps-w</c>: the traits and messages of <c>counter-negation</c>, the bug in <see cref="Description"/>.</summary>
public sealed class CnTryLockKeepsWDescriptor : MutantDescriptor
{
    public override string Name => "mutant-cn-trylock-keeps-w";

    public override string Original => "counter-negation";

    public override string Description =>
        "TryLock returns false when readers hold the lock but forgets to release w: every later Lock and TryLock waits for a writer that does not exist";

    public override LockTraits Traits => LockTraits.Go;

    public override string? ReadMisuseMessage => "sync: RUnlock of unlocked RWMutex";

    public override string? WriteMisuseMessage => "sync: Unlock of unlocked RWMutex";

    public override IRwLock Create<TSync>() => new CnTryLockKeepsW<TSync>();
}
