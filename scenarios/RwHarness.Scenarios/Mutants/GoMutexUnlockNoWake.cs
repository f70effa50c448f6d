using System.Runtime.CompilerServices;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// Go's sync.Mutex with one bug: unlockSlow claims the wake-up (decrements the waiter count and sets
/// mutexWoken) but never calls Semrelease, so the waiter it meant to wake sleeps forever.
/// Otherwise a verbatim copy of <c>locks/RwHarness.Locks/GoMutex.cs</c>; the one change is marked with a MUTANT comment.
/// </summary>
public struct GoMutexUnlockNoWake<TSync> : IGoMutex<GoMutexUnlockNoWake<TSync>>
    where TSync : struct, ISync
{
    private const int mutexLocked = 1 << 0; // mutex is locked
    private const int mutexWoken = 1 << 1;
    private const int mutexStarving = 1 << 2;
    private const int mutexWaiterShift = 3;
    private const long starvationThresholdNs = 1_000_000;

    private int state;
    private Sema sema;

    // Names for traces ("w.state", "rLock.sema"); null for a default-constructed mutex.
    private readonly string? stateName;
    private readonly string? semaName;

    /// <summary>Creates an unlocked mutex whose operations traces print as <paramref name="name"/>.state / .sema.</summary>
    public GoMutexUnlockNoWake(string name)
    {
        state = 0;
        sema = default;
        stateName = name + ".state";
        semaName = name + ".sema";
    }

    /// <inheritdoc/>
    public static GoMutexUnlockNoWake<TSync> Create(string name) => new(name);

    /// <summary>Go: (*Mutex).Lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Lock()
    {
        // Fast path: grab unlocked mutex.
        if (TSync.CompareExchange(ref state, mutexLocked, 0, stateName) == 0)
        {
            return;
        }
        // Slow path (outlined so that the fast path can be inlined).
        lockSlow();
    }

    /// <summary>Go: (*Mutex).TryLock.</summary>
    public bool TryLock()
    {
        var old = TSync.Load(ref state, stateName);
        if ((old & (mutexLocked | mutexStarving)) != 0)
        {
            return false;
        }
        // There may be a thread waiting for the mutex, but we are running now and can try to grab
        // the mutex before that thread wakes up.
        return TSync.CompareExchange(ref state, old | mutexLocked, old, stateName) == old;
    }

    /// <summary>Go: (*Mutex).lockSlow.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void lockSlow()
    {
        long waitStartTime = 0;
        var starving = false;
        var awoke = false;
        var iter = 0;
        var old = TSync.Load(ref state, stateName);
        while (true)
        {
            // Don't spin in starvation mode: ownership is handed off to waiters, so we could not
            // acquire the mutex anyway.
            if ((old & (mutexLocked | mutexStarving)) == mutexLocked && TSync.CanSpin(iter))
            {
                // Active spinning makes sense. Try to set mutexWoken so Unlock does not wake other
                // blocked threads.
                if (!awoke && (old & mutexWoken) == 0 && old >> mutexWaiterShift != 0
                    && TSync.CompareExchange(ref state, old | mutexWoken, old, stateName) == old)
                {
                    awoke = true;
                }
                TSync.SpinHint(); // Go: runtime_doSpin
                iter++;
                old = TSync.Load(ref state, stateName);
                continue;
            }
            var @new = old;
            // Don't try to acquire a starving mutex: new arrivals must queue.
            if ((old & mutexStarving) == 0)
            {
                @new |= mutexLocked;
            }
            if ((old & (mutexLocked | mutexStarving)) != 0)
            {
                @new += 1 << mutexWaiterShift;
            }
            // Switch the mutex to starvation mode, but only if it is locked: Unlock expects a
            // starving mutex to have waiters, which would not hold otherwise.
            if (starving && (old & mutexLocked) != 0)
            {
                @new |= mutexStarving;
            }
            if (awoke)
            {
                // We were woken from sleep, so reset the flag in either case.
                if ((@new & mutexWoken) == 0)
                {
                    throw new SynchronizationLockException("sync: inconsistent mutex state");
                }
                @new &= ~mutexWoken;
            }
            if (TSync.CompareExchange(ref state, @new, old, stateName) == old)
            {
                if ((old & (mutexLocked | mutexStarving)) == 0)
                {
                    break; // locked the mutex with CAS
                }
                // If we were already waiting before, queue at the front of the queue.
                var queueLifo = waitStartTime != 0;
                if (waitStartTime == 0)
                {
                    waitStartTime = TSync.Nanotime();
                }
                TSync.Semacquire(ref sema, queueLifo, semaName);
                starving = starving || TSync.Nanotime() - waitStartTime > starvationThresholdNs;
                old = TSync.Load(ref state, stateName);
                if ((old & mutexStarving) != 0)
                {
                    // Woken in starvation mode: ownership was handed to us, but the state is not yet
                    // consistent (mutexLocked is clear and we still count as a waiter). Fix that.
                    if ((old & (mutexLocked | mutexWoken)) != 0 || old >> mutexWaiterShift == 0)
                    {
                        throw new SynchronizationLockException("sync: inconsistent mutex state");
                    }
                    var delta = mutexLocked - (1 << mutexWaiterShift);
                    if (!starving || old >> mutexWaiterShift == 1)
                    {
                        // Exit starvation mode. Critical to do it here and consider the wait time:
                        // two threads could otherwise go lock-step in starvation mode forever.
                        delta -= mutexStarving;
                    }
                    TSync.Add(ref state, delta, stateName);
                    break;
                }
                awoke = true;
                iter = 0;
            }
            else
            {
                old = TSync.Load(ref state, stateName);
            }
        }
    }

    /// <summary>Go: (*Mutex).Unlock. Throws when the mutex is not locked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unlock()
    {
        // Fast path: drop lock bit.
        var @new = TSync.Add(ref state, -mutexLocked, stateName);
        if (@new != 0)
        {
            // Outlined slow path to allow inlining the fast path.
            unlockSlow(@new);
        }
    }

    /// <summary>Go: (*Mutex).unlockSlow.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void unlockSlow(int @new)
    {
        if (((@new + mutexLocked) & mutexLocked) == 0)
        {
            // Go calls fatal here. We throw instead, after undoing our decrement so the mutex stays usable.
            TSync.Add(ref state, mutexLocked, stateName);
            throw new SynchronizationLockException("sync: unlock of unlocked mutex");
        }
        if ((@new & mutexStarving) == 0)
        {
            var old = @new;
            while (true)
            {
                // No waiters, or a thread was already woken or grabbed the lock: nobody to wake.
                // In starvation mode ownership passes from the unlocker to the next waiter; we are not
                // part of that chain (we did not see mutexStarving when we unlocked), so get out of the way.
                if (old >> mutexWaiterShift == 0 || (old & (mutexLocked | mutexWoken | mutexStarving)) != 0)
                {
                    return;
                }
                // Grab the right to wake someone.
                @new = (old - (1 << mutexWaiterShift)) | mutexWoken;
                if (TSync.CompareExchange(ref state, @new, old, stateName) == old)
                {
                    // MUTANT: takes the right to wake a waiter (waiter count down, mutexWoken set) but never releases the semaphore.
                    return;
                }
                old = TSync.Load(ref state, stateName);
            }
        }
        // Starvation mode: hand ownership to the next waiter (mutexLocked stays clear; the waiter
        // sets it, and mutexStarving keeps arrivals out meanwhile).
        TSync.Semrelease(ref sema, true, semaName);
    }

    /// <summary>"unlocked", "locked", or e.g. "locked|woken waiters=2". Reads without scheduling (diagnostics only).</summary>
    public readonly string Describe()
    {
        var s = Volatile.Read(ref Unsafe.AsRef(in state));
        var text = (s & mutexLocked) != 0 ? "locked" : "unlocked";
        if ((s & mutexWoken) != 0)
        {
            text += "|woken";
        }
        if ((s & mutexStarving) != 0)
        {
            text += "|starving";
        }
        var waiters = s >> mutexWaiterShift;
        return waiters == 0 ? text : $"{text} waiters={waiters}";
    }

    /// <summary>Whether the lock bit is set (diagnostics and tests; not a scheduling point).</summary>
    public readonly bool IsLocked => (Volatile.Read(ref Unsafe.AsRef(in state)) & mutexLocked) != 0;
}

/// <summary>The descriptor of <c>mutant-gomutex-unlock-no-wake</c>: the traits and messages of <c>counter-negation</c>, the bug in <see cref="Description"/>.</summary>
public sealed class GoMutexUnlockNoWakeDescriptor : MutantDescriptor
{
    public override string Name => "mutant-gomutex-unlock-no-wake";

    public override string Original => "counter-negation";

    public override string Description =>
        "the writer mutex w (Go sync.Mutex) claims a waiter's wake-up in unlockSlow but never releases the semaphore: a writer queued on w sleeps forever (counter-negation around it is unchanged)";

    public override LockTraits Traits => LockTraits.Go;

    public override string? ReadMisuseMessage => "sync: RUnlock of unlocked RWMutex";

    public override string? WriteMisuseMessage => "sync: Unlock of unlocked RWMutex";

    public override IRwLock Create<TSync>() => new CounterNegationCopy<TSync, GoMutexUnlockNoWake<TSync>>();
}
