using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Coyote.Tests;

/// <summary>A Go-style mutex on one semaphore: Lock = Semacquire, Unlock = Semrelease. Both lock sides are exclusive.</summary>
internal sealed class SemaMutex<TSync> : IRwLock
    where TSync : struct, ISync
{
    private Sema sema = new(1);

    public void Lock() => TSync.Semacquire(ref sema);

    public void Unlock() => TSync.Semrelease(ref sema);

    public void EnterRead() => Lock();

    public bool TryEnterRead() => TryLock();

    public void ExitRead() => Unlock();

    public void EnterWrite() => Lock();

    public bool TryEnterWrite() => TryLock();

    public void ExitWrite() => Unlock();

    private bool TryLock()
    {
        // The count is a uint: CAS 1 -> 0.
        return TSync.CompareExchange(ref sema.Count, 0u, 1u) == 1u;
    }
}

/// <summary>
/// Go's sync.RWMutex in miniature (counter-negation): writer-preferring, so a writer that then asks for
/// the read side waits for itself forever (the seed-004 deadlock).
/// </summary>
internal sealed class GoRwMutex<TSync> : IRwLock
    where TSync : struct, ISync
{
    private const int RwmutexMaxReaders = 1 << 30;

    private readonly SemaMutex<TSync> w = new();
    private Sema writerSem;
    private Sema readerSem;
    private int readerCount;
    private int readerWait;

    public void EnterRead()
    {
        if (TSync.Add(ref readerCount, 1) < 0)
        {
            // A writer is pending: wait for it.
            TSync.Semacquire(ref readerSem);
        }
    }

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

    public void ExitRead()
    {
        var r = TSync.Add(ref readerCount, -1);
        if (r < 0)
        {
            if (r + 1 == 0 || r + 1 == -RwmutexMaxReaders)
            {
                throw new SynchronizationLockException("RUnlock of unlocked RWMutex");
            }
            // A writer is pending: the last departing reader wakes it.
            if (TSync.Add(ref readerWait, -1) == 0)
            {
                TSync.Semrelease(ref writerSem);
            }
        }
    }

    public void EnterWrite()
    {
        w.Lock();
        // Announce the writer to readers.
        var r = TSync.Add(ref readerCount, -RwmutexMaxReaders) + RwmutexMaxReaders;
        // Wait for active readers.
        if (r != 0 && TSync.Add(ref readerWait, r) != 0)
        {
            TSync.Semacquire(ref writerSem);
        }
    }

    public bool TryEnterWrite() => throw new NotSupportedException();

    public void ExitWrite()
    {
        var r = TSync.Add(ref readerCount, RwmutexMaxReaders);
        if (r >= RwmutexMaxReaders)
        {
            throw new SynchronizationLockException("Unlock of unlocked RWMutex");
        }
        for (var i = 0; i < r; i++)
        {
            TSync.Semrelease(ref readerSem);
        }
        w.Unlock();
    }
}

/// <summary>
/// A minimal ReaderWriterLockSlim adapter over ISync: each RWLS call is one atomic step; a failed
/// TryEnter disables the virtual thread (WaitExternal), never the OS thread. (The shipped adapter lives in
/// locks/RwHarness.Locks; this one exists so the Coyote backend can be tested on its own.)
/// </summary>
/// <remarks>
/// This test assembly is rewritten by Coyote, and the rewriter flags ReaderWriterLockSlim as an
/// uncontrolled API (an error that would disable replay). Here RWLS never blocks: every call is a
/// non-blocking TryEnter/Exit inside one CoyoteSync step, so the class is excluded from rewriting.
/// ISync-based lock assemblies (locks/) need no rewriting at all.
/// </remarks>
[Microsoft.Coyote.Rewriting.SkipRewriting("RWLS is driven one non-blocking call at a time through CoyoteSync")]
internal sealed class RwlsOverSync<TSync>(LockRecursionPolicy policy) : IRwLock
    where TSync : struct, ISync
{
    // Method groups, not lambdas: a lambda's closure class is a separate type the attribute does not cover.
    private readonly Attempt state = new(new ReaderWriterLockSlim(policy));

    public void EnterRead() => TSync.WaitExternal(state.Rwls, state, TryRead);

    public bool TryEnterRead()
    {
        TSync.Atomic(state, TryReadOnce);
        return state.Got;
    }

    public void ExitRead()
    {
        TSync.Atomic(state, ExitReadLock);
        TSync.NotifyExternal(state.Rwls);
    }

    public void EnterWrite() => TSync.WaitExternal(state.Rwls, state, TryWrite);

    public bool TryEnterWrite()
    {
        TSync.Atomic(state, TryWriteOnce);
        return state.Got;
    }

    public void ExitWrite()
    {
        TSync.Atomic(state, ExitWriteLock);
        TSync.NotifyExternal(state.Rwls);
    }

    private static bool TryRead(Attempt a) => a.Rwls.TryEnterReadLock(0);

    private static bool TryWrite(Attempt a) => a.Rwls.TryEnterWriteLock(0);

    private static void TryReadOnce(Attempt a) => a.Got = a.Rwls.TryEnterReadLock(0);

    private static void TryWriteOnce(Attempt a) => a.Got = a.Rwls.TryEnterWriteLock(0);

    private static void ExitReadLock(Attempt a) => a.Rwls.ExitReadLock();

    private static void ExitWriteLock(Attempt a) => a.Rwls.ExitWriteLock();

    private sealed class Attempt(ReaderWriterLockSlim rwls)
    {
        public readonly ReaderWriterLockSlim Rwls = rwls;
        public bool Got;
    }
}

internal sealed class SemaMutexLock : LockDescriptor
{
    public override string Name => "sema-mutex";

    public override LockTraits Traits => LockTraits.None;

    public override IRwLock Create<TSync>() => new SemaMutex<TSync>();
}

internal sealed class GoRwMutexLock : LockDescriptor
{
    public override string Name => "go-rwmutex";

    public override LockTraits Traits => LockTraits.Go;

    public override IRwLock Create<TSync>() => new GoRwMutex<TSync>();
}

internal sealed class RwlsLock(LockRecursionPolicy policy) : LockDescriptor
{
    public override string Name => policy == LockRecursionPolicy.NoRecursion ? "rwls" : "rwls-recursive";

    public override LockTraits Traits => LockTraits.SharedReaders | LockTraits.ThrowsOnMisuse | LockTraits.ThreadAffine
        | (policy == LockRecursionPolicy.NoRecursion ? LockTraits.ThrowsOnRecursion : LockTraits.SupportsRecursion);

    public override IRwLock Create<TSync>() => new RwlsOverSync<TSync>(policy);
}
