using System.Runtime.CompilerServices;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// <see cref="ReaderWriterLockSlim"/> behind <see cref="IRwLock"/>. On a real backend every call is the
/// RWLS call itself. On a controlled backend the engine cannot see inside RWLS, so each call is one
/// atomic step: entering is a zero-timeout try that, when it fails, disables the virtual thread (never
/// the OS thread) until another thread exits; exiting runs atomically and then notifies the waiters.
/// </summary>
/// <remarks>
/// RWLS is bound to threads: a lock must be exited on the thread that entered it (controlled backends
/// keep each virtual thread on its own OS thread). Its exceptions propagate unchanged:
/// <see cref="LockRecursionException"/> for recursion under <see cref="LockRecursionPolicy.NoRecursion"/>,
/// <see cref="SynchronizationLockException"/> for exiting a side that is not held.
/// </remarks>
public class RwlsAdapter<TSync> : IRwLock, IDescribeState, IDisposable
    where TSync : struct, ISync
{
    private readonly ReaderWriterLockSlim rwls;

    // Controlled backends only: who holds the write side, for DescribeState (RWLS only tells the caller).
    private string? writerName;

    public RwlsAdapter(LockRecursionPolicy recursionPolicy)
    {
        rwls = new ReaderWriterLockSlim(recursionPolicy);
    }

    public LockRecursionPolicy RecursionPolicy => rwls.RecursionPolicy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterRead()
    {
        if (!TSync.IsControlled)
        {
            rwls.EnterReadLock();
            return;
        }
        TSync.WaitExternal(rwls, rwls, static l => l.TryEnterReadLock(0));
    }

    public bool TryEnterRead()
    {
        if (!TSync.IsControlled)
        {
            return rwls.TryEnterReadLock(0);
        }
        var result = new StrongBox<bool>();
        TSync.Atomic((rwls, result), static s => s.result.Value = s.rwls.TryEnterReadLock(0));
        return result.Value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitRead()
    {
        if (!TSync.IsControlled)
        {
            rwls.ExitReadLock();
            return;
        }
        TSync.Atomic(rwls, static l => l.ExitReadLock());
        TSync.NotifyExternal(rwls);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterWrite()
    {
        if (!TSync.IsControlled)
        {
            rwls.EnterWriteLock();
            return;
        }
        TSync.WaitExternal(rwls, rwls, static l => l.TryEnterWriteLock(0));
        writerName = TSync.CurrentThread.Name;
    }

    public bool TryEnterWrite()
    {
        if (!TSync.IsControlled)
        {
            return rwls.TryEnterWriteLock(0);
        }
        var result = new StrongBox<bool>();
        TSync.Atomic((rwls, result), static s => s.result.Value = s.rwls.TryEnterWriteLock(0));
        if (result.Value)
        {
            writerName = TSync.CurrentThread.Name;
        }
        return result.Value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitWrite()
    {
        if (!TSync.IsControlled)
        {
            rwls.ExitWriteLock();
            return;
        }
        TSync.Atomic(rwls, static l => l.ExitWriteLock());
        if (rwls.RecursiveWriteCount == 0)
        {
            writerName = null;
        }
        TSync.NotifyExternal(rwls);
    }

    /// <summary>For example "readers=2 writer=nil waitingReaders=0 waitingWriters=1" (writer is named on controlled backends only).</summary>
    public string DescribeState()
    {
        var writer = TSync.IsControlled ? writerName ?? "nil" : "?";
        return $"readers={rwls.CurrentReadCount} writer={writer} waitingReaders={rwls.WaitingReadCount} waitingWriters={rwls.WaitingWriteCount}";
    }

    public void Dispose()
    {
        rwls.Dispose();
        GC.SuppressFinalize(this);
    }
}
