using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RwHarness.Sync;

/// <summary>
/// The production backend: every ISync call is the hardware primitive. As a struct type argument it
/// lets the JIT specialise and inline each lock, so <c>TSync.Add(ref x, 1)</c> compiles to one
/// <c>lock xadd</c>, the same code as a hand-written <c>Interlocked.Add</c> (the benchmarks show it).
/// </summary>
public readonly struct RealSync : ISync
{
    [ThreadStatic]
    private static ParkHandle? current;

    public static bool IsControlled => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Load(ref int location, string? name = null) => Volatile.Read(ref location);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(ref uint location, string? name = null) => Volatile.Read(ref location);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Load(ref long location, string? name = null) => Volatile.Read(ref location);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref int location, int value, string? name = null) => Volatile.Write(ref location, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref uint location, uint value, string? name = null) => Volatile.Write(ref location, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref long location, long value, string? name = null) => Volatile.Write(ref location, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(ref int location, int delta, string? name = null) => Interlocked.Add(ref location, delta);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(ref uint location, uint delta, string? name = null) => Interlocked.Add(ref location, delta);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Add(ref long location, long delta, string? name = null) => Interlocked.Add(ref location, delta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Exchange(ref int location, int value, string? name = null) => Interlocked.Exchange(ref location, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Exchange(ref uint location, uint value, string? name = null) => Interlocked.Exchange(ref location, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Exchange(ref long location, long value, string? name = null) => Interlocked.Exchange(ref location, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompareExchange(ref int location, int value, int comparand, string? name = null) => Interlocked.CompareExchange(ref location, value, comparand);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint CompareExchange(ref uint location, uint value, uint comparand, string? name = null) => Interlocked.CompareExchange(ref location, value, comparand);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long CompareExchange(ref long location, long value, long comparand, string? name = null) => Interlocked.CompareExchange(ref location, value, comparand);

    public static ParkHandle CurrentThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => current ?? CreateCurrent();
    }

    private static ParkHandle CreateCurrent()
    {
        current = new ParkHandle(Thread.CurrentThread.Name) { Backend = new RealParker() };
        return current;
    }

    private static RealParker Parker(ParkHandle h) => (RealParker)h.Backend!;

    // runtime/sema.go: cansemacquire.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CanSemacquire(ref uint count)
    {
        while (true)
        {
            var v = Volatile.Read(ref count);
            if (v == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref count, v - 1, v) == v)
            {
                return true;
            }
        }
    }

    /// <summary>How many times <see cref="Semacquire"/> rechecks the count, a short pause apart, before it queues.</summary>
    private const int SemacquireSpins = 32;

    public static void Semacquire(ref Sema sema, bool lifo = false, string? name = null)
    {
        // runtime/sema.go: semacquire1 — easy case first.
        if (CanSemacquire(ref sema.Count))
        {
            return;
        }
        // Not in Go: a goroutine parks and wakes in well under a microsecond, a thread through the queue's
        // lock and an event takes several times longer, and the release usually comes within a critical
        // section's length (a reader waiting out a writer, a writer waiting for the last reader). So look
        // again for a few microseconds before queueing, as ReaderWriterLockSlim spins before it blocks. The
        // easy case in Go barges ahead of queued waiters too, so this changes no guarantee.
        if (Environment.ProcessorCount > 1)
        {
            for (var i = 0; i < SemacquireSpins; i++)
            {
                Thread.SpinWait(4);
                if (CanSemacquire(ref sema.Count))
                {
                    return;
                }
            }
        }
        SemacquireSlow(ref sema, lifo);
    }

    private static void SemacquireSlow(ref Sema sema, bool lifo)
    {
        var q = RealSemaQueue.For(ref sema);
        var me = CurrentThread;
        var parker = Parker(me);
        while (true)
        {
            lock (q.Gate)
            {
                // Add ourselves to nwait to disable the "easy case" in Semrelease, then recheck.
                Interlocked.Increment(ref q.Nwait);
                if (CanSemacquire(ref sema.Count))
                {
                    Interlocked.Decrement(ref q.Nwait);
                    return;
                }
                me.semaTicket = 0;
                q.Enqueue(me, lifo);
            }
            parker.WaitAndConsume(ref parker.SemaWake);
            if (me.semaTicket != 0 || CanSemacquire(ref sema.Count))
            {
                return;
            }
        }
    }

    public static void Semrelease(ref Sema sema, bool handoff = false, string? name = null)
    {
        // runtime/sema.go: semrelease1.
        Interlocked.Increment(ref sema.Count);
        if (Volatile.Read(ref sema.Waiters) is not RealSemaQueue q || Volatile.Read(ref q.Nwait) == 0)
        {
            return;
        }
        ParkHandle? w;
        lock (q.Gate)
        {
            if (Volatile.Read(ref q.Nwait) == 0)
            {
                return;
            }
            w = q.Dequeue();
            if (w is null)
            {
                return;
            }
            Interlocked.Decrement(ref q.Nwait);
            if (handoff && CanSemacquire(ref sema.Count))
            {
                w.semaTicket = 1;
            }
        }
        var p = Parker(w);
        p.Signal(ref p.SemaWake);
        if (handoff && w.semaTicket == 1)
        {
            // Go: goyield, so the waiter we handed off to can run at once.
            Thread.Yield();
        }
    }

    public static void Park(string? name = null)
    {
        var p = Parker(CurrentThread);
        p.WaitAndConsume(ref p.NotePermit);
    }

    public static void Unpark(ParkHandle thread, string? name = null)
    {
        var p = Parker(thread);
        p.Signal(ref p.NotePermit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SpinHint() => Thread.SpinWait(30); // Go: procyield(active_spin_cnt = 30)

    public static void Yield() => Thread.Yield();

    // Go: sync_runtime_canSpin — a few rounds, and only on a multicore machine.
    public static bool CanSpin(int iter) => iter < 4 && Environment.ProcessorCount > 1;

    public static long Nanotime() => (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    public static void Atomic<TState>(TState state, Action<TState> operation, string? name = null) => operation(state);

    public static void WaitExternal<TState>(object resource, TState state, Func<TState, bool> attempt, string? name = null)
    {
        var spin = new SpinWait();
        while (!attempt(state))
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    public static void NotifyExternal(object resource)
    {
    }
}
