using System.Runtime.CompilerServices;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// The Go runtime's own <c>mutex</c> (runtime/lock_futex.go: lock2, unlock2), the lock the runtime's
/// <c>rwmutex</c> takes for <c>rLock</c> and <c>wLock</c>, on <see cref="ISync"/>. One <c>key</c> word:
/// mutex_unlocked, mutex_locked, or mutex_sleeping (locked, and a thread may be asleep on the key).
/// </summary>
/// <remarks>
/// <para>
/// Unlike <see cref="GoMutex{TSync}"/> (sync.Mutex) there is no starvation mode and no hand-off: a
/// contender spins active_spin times (procyield of active_spin_cnt each), yields passive_spin times, then
/// marks the key sleeping and sleeps on it; Unlock swaps the key to unlocked and wakes one sleeper if it
/// was sleeping. Go 1.24 replaced this implementation on most platforms by lock_spinbit.go, which keeps
/// the same contract (spin, then sleep; unlock wakes one) with a cheaper wake-up path.
/// </para>
/// <para>
/// futexsleep/futexwakeup on the key become Semacquire/Semrelease on <c>futex</c>: a wake-up with nobody
/// asleep leaves a permit, so a later sleep returns at once and lock2's loop looks at the key again. A
/// futex may wake spuriously too, so the loop is unchanged.
/// </para>
/// <para>A struct: embed it as a (non-readonly) field and never copy it after first use.</para>
/// </remarks>
public struct RuntimeMutex<TSync>
    where TSync : struct, ISync
{
    private const int mutex_unlocked = 0;
    private const int mutex_locked = 1;
    private const int mutex_sleeping = 2;

    private const int active_spin = 4;
    private const int passive_spin = 1;

    private int key;
    private Sema futex;

    // Names for traces ("rLock.key", "rLock.futex"); null for a default-constructed mutex.
    private readonly string? keyName;
    private readonly string? futexName;

    /// <summary>Creates an unlocked mutex whose operations traces print as <paramref name="name"/>.key / .futex.</summary>
    public RuntimeMutex(string name)
    {
        key = mutex_unlocked;
        futex = default;
        keyName = name + ".key";
        futexName = name + ".futex";
    }

    /// <summary>Go: lock2 (the uncontended case: one atomic exchange).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Lock()
    {
        // Speculative grab for lock.
        var v = TSync.Exchange(ref key, mutex_locked, keyName);
        if (v == mutex_unlocked)
        {
            return;
        }
        lockSlow(v);
    }

    /// <summary>Go: the rest of lock2.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void lockSlow(int v)
    {
        // wait is either mutex_locked or mutex_sleeping depending on whether there is a thread sleeping on
        // this mutex. If we ever change key from mutex_sleeping to some other value, we must be careful to
        // change it back to mutex_sleeping before returning, to ensure that the sleeping thread gets its wakeup.
        var wait = v;

        // On uniprocessors, no point spinning. On multiprocessors, spin for active_spin attempts.
        var spin = TSync.CanSpin(0) ? active_spin : 0;
        while (true)
        {
            // Try for lock, spinning.
            for (var i = 0; i < spin; i++)
            {
                while (TSync.Load(ref key, keyName) == mutex_unlocked)
                {
                    if (TSync.CompareExchange(ref key, wait, mutex_unlocked, keyName) == mutex_unlocked)
                    {
                        return;
                    }
                }
                TSync.SpinHint(); // procyield(active_spin_cnt)
            }

            // Try for lock, rescheduling.
            for (var i = 0; i < passive_spin; i++)
            {
                while (TSync.Load(ref key, keyName) == mutex_unlocked)
                {
                    if (TSync.CompareExchange(ref key, wait, mutex_unlocked, keyName) == mutex_unlocked)
                    {
                        return;
                    }
                }
                TSync.Yield(); // osyield
            }

            // Sleep.
            v = TSync.Exchange(ref key, mutex_sleeping, keyName);
            if (v == mutex_unlocked)
            {
                return;
            }
            wait = mutex_sleeping;
            TSync.Semacquire(ref futex, false, futexName); // futexsleep(key32(&l.key), mutex_sleeping, -1)
        }
    }

    /// <summary>Not in the runtime (its rwmutex has no TryLock): one compare-and-swap from unlocked.</summary>
    public bool TryLock() => TSync.CompareExchange(ref key, mutex_locked, mutex_unlocked, keyName) == mutex_unlocked;

    /// <summary>Go: unlock2. Throws when the mutex is not locked (the runtime throws "unlock of unlocked lock").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unlock()
    {
        var v = TSync.Exchange(ref key, mutex_unlocked, keyName);
        if (v != mutex_locked)
        {
            unlockSlow(v);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void unlockSlow(int v)
    {
        if (v == mutex_unlocked)
        {
            throw new SynchronizationLockException("unlock of unlocked lock");
        }
        if (v == mutex_sleeping)
        {
            TSync.Semrelease(ref futex, false, futexName); // futexwakeup(key32(&l.key), 1)
        }
    }

    /// <summary>A plain read of the key: whether the mutex looks held (a hint for spinning, never a decision).</summary>
    internal readonly bool LooksHeld
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref Unsafe.AsRef(in key)) != mutex_unlocked;
    }

    /// <summary>"unlocked", "locked" or "sleeping" (a plain read: describing must not be a scheduling point).</summary>
    public readonly string Describe() => Volatile.Read(ref Unsafe.AsRef(in key)) switch
    {
        mutex_unlocked => "unlocked",
        mutex_locked => "locked",
        _ => "sleeping",
    };
}
