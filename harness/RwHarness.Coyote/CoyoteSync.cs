using System.Globalization;
using RwHarness.Sync;

namespace RwHarness.Coyote;

/// <summary>
/// ISync under Microsoft Coyote. Every atomic operation is a Coyote scheduling point
/// (<c>SchedulingPoint.Interleave()</c> first, then a plain memory operation: Coyote runs one task at a
/// time, so the operation is atomic by construction). Blocking operations (a semaphore at zero, Park
/// without a permit, a failed external attempt) wait on a primitive Coyote controls, so when every task
/// waits Coyote reports a deadlock naming them, never a "potential deadlock" after a timeout.
/// </summary>
/// <remarks>
/// Semantics follow Go's runtime: semaphores queue waiters FIFO (LIFO on request), a release with
/// handoff passes the count straight to the first waiter (its ticket), and a woken waiter without a ticket
/// retries. Park/Unpark keep one permit per task (Go's note). <see cref="Nanotime"/> is a logical clock
/// (one microsecond per scheduling point); <see cref="CanSpin"/> allows four rounds, as Go does on a multicore.
/// </remarks>
public readonly struct CoyoteSync : ISync
{
    public static bool IsControlled => true;

    private static CoyoteWorld World => CoyoteWorld.Current;

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static int Load(ref int location, string? name = null)
    {
        var w = World;
        w.Step();
        var v = location;
        w.Record("load", name, after: S(v));
        return v;
    }

    public static uint Load(ref uint location, string? name = null)
    {
        var w = World;
        w.Step();
        var v = location;
        w.Record("load", name, after: S(v));
        return v;
    }

    public static long Load(ref long location, string? name = null)
    {
        var w = World;
        w.Step();
        var v = location;
        w.Record("load", name, after: S(v));
        return v;
    }

    public static void Store(ref int location, int value, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = value;
        w.Record("store", name, S(old), S(value));
    }

    public static void Store(ref uint location, uint value, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = value;
        w.Record("store", name, S(old), S(value));
    }

    public static void Store(ref long location, long value, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = value;
        w.Record("store", name, S(old), S(value));
    }

    public static int Add(ref int location, int delta, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = unchecked(old + delta);
        w.Record($"add {S(delta)}", name, S(old), S(location));
        return location;
    }

    public static uint Add(ref uint location, uint delta, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = unchecked(old + delta);
        w.Record($"add {S(delta)}", name, S(old), S(location));
        return location;
    }

    public static long Add(ref long location, long delta, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = unchecked(old + delta);
        w.Record($"add {S(delta)}", name, S(old), S(location));
        return location;
    }

    public static int Exchange(ref int location, int value, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = value;
        w.Record("exchange", name, S(old), S(value));
        return old;
    }

    public static uint Exchange(ref uint location, uint value, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = value;
        w.Record("exchange", name, S(old), S(value));
        return old;
    }

    public static long Exchange(ref long location, long value, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        location = value;
        w.Record("exchange", name, S(old), S(value));
        return old;
    }

    public static int CompareExchange(ref int location, int value, int comparand, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        if (old == comparand)
        {
            location = value;
        }
        w.Record($"cas {S(comparand)}->{S(value)}", name, S(old), S(location), old == comparand ? null : "failed");
        return old;
    }

    public static uint CompareExchange(ref uint location, uint value, uint comparand, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        if (old == comparand)
        {
            location = value;
        }
        w.Record($"cas {S(comparand)}->{S(value)}", name, S(old), S(location), old == comparand ? null : "failed");
        return old;
    }

    public static long CompareExchange(ref long location, long value, long comparand, string? name = null)
    {
        var w = World;
        w.Step();
        var old = location;
        if (old == comparand)
        {
            location = value;
        }
        w.Record($"cas {S(comparand)}->{S(value)}", name, S(old), S(location), old == comparand ? null : "failed");
        return old;
    }

    // runtime/sema.go: cansemacquire. Plain memory: the caller is the only task running.
    private static bool CanSemacquire(ref uint count)
    {
        if (count == 0)
        {
            return false;
        }
        count--;
        return true;
    }

    private static CoyoteSemaQueue QueueOf(ref Sema sema, CoyoteWorld world)
    {
        if (sema.Waiters is CoyoteSemaQueue q)
        {
            return q;
        }
        if (sema.Waiters is not null)
        {
            throw new InvalidOperationException("this Sema was used by another ISync backend; create the lock under CoyoteSync");
        }
        q = new CoyoteSemaQueue(world.NewSemaId());
        sema.Waiters = q;
        return q;
    }

    public static void Semacquire(ref Sema sema, bool lifo = false, string? name = null)
    {
        var w = World;
        var me = w.CurrentThread;
        w.Step();
        // runtime/sema.go: semacquire1 — the easy case.
        if (CanSemacquire(ref sema.Count))
        {
            w.Record("semacquire", name, after: S(sema.Count));
            return;
        }
        var q = QueueOf(ref sema, w);
        var label = $"{name}#{S(q.Id)}";
        while (true)
        {
            // Go holds the semaRoot lock from here to the park: no scheduling point until we are queued.
            if (CanSemacquire(ref sema.Count))
            {
                w.Record("semacquire", name, after: S(sema.Count));
                return;
            }
            me.Ticket = false;
            q.Enqueue(me, lifo);
            w.Record("semacquire", label, after: S(sema.Count), note: lifo ? "blocked (lifo)" : "blocked");
            w.CheckNow();
            me.Block($"Semacquire({label})");
            if (me.Ticket)
            {
                // The releaser handed the count to us (handoff): no newcomer could take it.
                w.Record("semacquire", label, after: S(sema.Count), note: "woken with handoff");
                return;
            }
            // Woken without a ticket: retry, like any newcomer.
            w.Step();
            if (CanSemacquire(ref sema.Count))
            {
                w.Record("semacquire", label, after: S(sema.Count), note: "woken");
                return;
            }
        }
    }

    public static void Semrelease(ref Sema sema, bool handoff = false, string? name = null)
    {
        var w = World;
        w.Step();
        // runtime/sema.go: semrelease1.
        var before = sema.Count;
        sema.Count++;
        if (sema.Waiters is not CoyoteSemaQueue q || q.Count == 0)
        {
            w.Record("semrelease", name, S(before), S(sema.Count));
            return;
        }
        var waiter = q.Dequeue()!;
        if (handoff && CanSemacquire(ref sema.Count))
        {
            waiter.Ticket = true;
        }
        waiter.Wake();
        w.Record("semrelease", $"{name}#{S(q.Id)}", S(before), S(sema.Count), $"wakes {waiter.Name}" + (waiter.Ticket ? " (handoff)" : ""));
        if (handoff && waiter.Ticket)
        {
            // Go: goyield, so the waiter we handed off to can run at once.
            w.YieldStep();
        }
    }

    public static ParkHandle CurrentThread => World.CurrentThread.Handle;

    public static void Park(string? name = null)
    {
        var w = World;
        var me = w.CurrentThread;
        w.Step();
        if (me.ParkPermit)
        {
            me.ParkPermit = false;
            w.Record("park", name, note: "permit was there");
            return;
        }
        me.Parked = true;
        w.Record("park", name, note: "blocked");
        w.CheckNow();
        me.Block($"Park({name})");
        // Unpark cleared Parked and woke us; the wake-up is the permit, consumed here.
        w.Record("park", name, note: "woken");
    }

    public static void Unpark(ParkHandle thread, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (thread.Backend is not CoyoteThread target)
        {
            throw new InvalidOperationException($"{thread} is not a CoyoteSync thread");
        }
        var w = World;
        w.Step();
        if (target.Parked)
        {
            target.Parked = false;
            target.Wake();
            w.Record("unpark", name ?? target.Name, note: $"wakes {target.Name}");
        }
        else
        {
            target.ParkPermit = true;
            w.Record("unpark", name ?? target.Name, note: "permit");
        }
    }

    public static void SpinHint()
    {
        var w = World;
        w.YieldStep();
        w.Record("spin", null);
    }

    public static void Yield()
    {
        var w = World;
        w.YieldStep();
        w.Record("yield", null);
    }

    public static bool CanSpin(int iter) => iter < 4;

    public static long Nanotime() => World.Nanotime();

    public static void Atomic<TState>(TState state, Action<TState> operation, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var w = World;
        w.Step();
        operation(state);
        w.Record("atomic", name);
    }

    public static void WaitExternal<TState>(object resource, TState state, Func<TState, bool> attempt, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(attempt);
        var w = World;
        var me = w.CurrentThread;
        while (true)
        {
            w.Step();
            if (attempt(state))
            {
                w.Record("wait-external", name);
                return;
            }
            // The attempt failed: disable this task (never the OS thread) until a NotifyExternal on the resource.
            w.AddExternalWaiter(resource, me);
            w.Record("wait-external", name, note: "blocked");
            w.CheckNow();
            me.Block($"WaitExternal({name})");
        }
    }

    public static void NotifyExternal(object resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        // Bookkeeping for the operation just performed (an Atomic step), not a scheduling point of its own.
        var w = World;
        var woken = w.WakeExternalWaiters(resource);
        if (woken > 0)
        {
            w.Record("notify-external", null, note: $"wakes {S(woken)}");
        }
    }
}
