using RwHarness.Engine.Runtime;
using RwHarness.Sync;

namespace RwHarness.Engine;

/// <summary>
/// The native engine's backend: every ISync call is a scheduling point. The calling virtual thread stops,
/// the strategy picks who performs the next operation, and only then does this one run, as one atomic
/// step (the engine runs one thread at a time, so a plain memory operation is atomic here).
/// Blocking operations disable the virtual thread until another wakes it; they never block an OS thread
/// that the scheduler cannot see. Outside an execution the calls act directly, without scheduling.
/// </summary>
public readonly struct ControlledSync : ISync
{
    private static readonly ParkHandle Uncontrolled = new(0, "uncontrolled");

    public static bool IsControlled => true;

    public static int Load(ref int location, string? name = null)
    {
        if (Enter(OpKind.Load, name) is not { } t)
        {
            return Volatile.Read(ref location);
        }
        var v = location;
        Record(t, OpKind.Load, name, v, v);
        return v;
    }

    public static uint Load(ref uint location, string? name = null)
    {
        if (Enter(OpKind.Load, name) is not { } t)
        {
            return Volatile.Read(ref location);
        }
        var v = location;
        Record(t, OpKind.Load, name, v, v);
        return v;
    }

    public static long Load(ref long location, string? name = null)
    {
        if (Enter(OpKind.Load, name) is not { } t)
        {
            return Volatile.Read(ref location);
        }
        var v = location;
        Record(t, OpKind.Load, name, v, v);
        return v;
    }

    public static void Store(ref int location, int value, string? name = null)
    {
        if (Enter(OpKind.Store, name) is not { } t)
        {
            Volatile.Write(ref location, value);
            return;
        }
        var before = location;
        location = value;
        Record(t, OpKind.Store, name, before, value);
    }

    public static void Store(ref uint location, uint value, string? name = null)
    {
        if (Enter(OpKind.Store, name) is not { } t)
        {
            Volatile.Write(ref location, value);
            return;
        }
        var before = location;
        location = value;
        Record(t, OpKind.Store, name, before, value);
    }

    public static void Store(ref long location, long value, string? name = null)
    {
        if (Enter(OpKind.Store, name) is not { } t)
        {
            Volatile.Write(ref location, value);
            return;
        }
        var before = location;
        location = value;
        Record(t, OpKind.Store, name, before, value);
    }

    public static int Add(ref int location, int delta, string? name = null)
    {
        if (Enter(OpKind.Add, name) is not { } t)
        {
            return Interlocked.Add(ref location, delta);
        }
        var before = location;
        location = unchecked(before + delta);
        Record(t, OpKind.Add, name, before, location);
        return location;
    }

    public static uint Add(ref uint location, uint delta, string? name = null)
    {
        if (Enter(OpKind.Add, name) is not { } t)
        {
            return Interlocked.Add(ref location, delta);
        }
        var before = location;
        location = unchecked(before + delta);
        Record(t, OpKind.Add, name, before, location);
        return location;
    }

    public static long Add(ref long location, long delta, string? name = null)
    {
        if (Enter(OpKind.Add, name) is not { } t)
        {
            return Interlocked.Add(ref location, delta);
        }
        var before = location;
        location = unchecked(before + delta);
        Record(t, OpKind.Add, name, before, location);
        return location;
    }

    public static int Exchange(ref int location, int value, string? name = null)
    {
        if (Enter(OpKind.Exchange, name) is not { } t)
        {
            return Interlocked.Exchange(ref location, value);
        }
        var before = location;
        location = value;
        Record(t, OpKind.Exchange, name, before, value);
        return before;
    }

    public static uint Exchange(ref uint location, uint value, string? name = null)
    {
        if (Enter(OpKind.Exchange, name) is not { } t)
        {
            return Interlocked.Exchange(ref location, value);
        }
        var before = location;
        location = value;
        Record(t, OpKind.Exchange, name, before, value);
        return before;
    }

    public static long Exchange(ref long location, long value, string? name = null)
    {
        if (Enter(OpKind.Exchange, name) is not { } t)
        {
            return Interlocked.Exchange(ref location, value);
        }
        var before = location;
        location = value;
        Record(t, OpKind.Exchange, name, before, value);
        return before;
    }

    public static int CompareExchange(ref int location, int value, int comparand, string? name = null)
    {
        if (Enter(OpKind.CompareExchange, name) is not { } t)
        {
            return Interlocked.CompareExchange(ref location, value, comparand);
        }
        var before = location;
        if (before == comparand)
        {
            location = value;
        }
        Record(t, OpKind.CompareExchange, name, before, location, before == comparand ? null : $"failed, expected {comparand}");
        return before;
    }

    public static uint CompareExchange(ref uint location, uint value, uint comparand, string? name = null)
    {
        if (Enter(OpKind.CompareExchange, name) is not { } t)
        {
            return Interlocked.CompareExchange(ref location, value, comparand);
        }
        var before = location;
        if (before == comparand)
        {
            location = value;
        }
        Record(t, OpKind.CompareExchange, name, before, location, before == comparand ? null : $"failed, expected {comparand}");
        return before;
    }

    public static long CompareExchange(ref long location, long value, long comparand, string? name = null)
    {
        if (Enter(OpKind.CompareExchange, name) is not { } t)
        {
            return Interlocked.CompareExchange(ref location, value, comparand);
        }
        var before = location;
        if (before == comparand)
        {
            location = value;
        }
        Record(t, OpKind.CompareExchange, name, before, location, before == comparand ? null : $"failed, expected {comparand}");
        return before;
    }

    public static void Semacquire(ref Sema sema, bool lifo = false, string? name = null)
    {
        if (Enter(OpKind.Semacquire, name) is not { } t)
        {
            if (sema.Count == 0)
            {
                throw new InvalidOperationException($"Semacquire({name}) outside a controlled execution would block forever");
            }
            sema.Count--;
            return;
        }
        var e = t.Execution;
        // runtime/sema.go: semacquire1 — take the count if there is one, else queue and sleep; a woken waiter retries.
        while (true)
        {
            if (t.SemaTicket)
            {
                t.SemaTicket = false;
                Record(t, OpKind.Semacquire, name, sema.Count, sema.Count, "acquired by hand-off");
                return;
            }
            if (sema.Count > 0)
            {
                var before = sema.Count;
                sema.Count--;
                Record(t, OpKind.Semacquire, name, before, sema.Count);
                return;
            }
            var q = Queue(ref sema, e);
            if (lifo)
            {
                q.Waiters.AddFirst(t);
            }
            else
            {
                q.Waiters.AddLast(t);
            }
            Record(t, OpKind.Semacquire, name, 0, 0, "count is 0: sleeps");
            e.Block(t, q, $"Semacquire({Execution.Clean(name)})");
        }
    }

    public static void Semrelease(ref Sema sema, bool handoff = false, string? name = null)
    {
        if (Enter(OpKind.Semrelease, name) is not { } t)
        {
            sema.Count++;
            return;
        }
        var e = t.Execution;
        // runtime/sema.go: semrelease1 — count up, wake the first waiter; with handoff it gets the count directly.
        var before = sema.Count;
        sema.Count++;
        string? note = null;
        VirtualThread? woken = null;
        if (sema.Waiters is ControlledSemaQueue q && q.Owner == e && q.Waiters.First is { } first)
        {
            woken = first.Value;
            q.Waiters.RemoveFirst();
            if (handoff && sema.Count > 0)
            {
                sema.Count--;
                woken.SemaTicket = true;
                note = "hands off to " + woken.Name;
            }
            else
            {
                note = "wakes " + woken.Name;
            }
            e.Wake(t, woken);
        }
        Record(t, OpKind.Semrelease, name, before, sema.Count, note);
        if (handoff && woken is { SemaTicket: true })
        {
            // Go: goyield() so the waiter that got the count runs soon.
            e.Point(t, OpKind.Yield, "handoff", yielded: true);
            Record(t, OpKind.Yield, "handoff", null, null);
        }
    }

    public static ParkHandle CurrentThread => VirtualThread.Current?.Handle ?? Uncontrolled;

    public static void Park(string? name = null)
    {
        if (Enter(OpKind.Park, name) is not { } t)
        {
            throw new InvalidOperationException("Park outside a controlled execution would block forever");
        }
        // runtime: notesleep — returns at once if notewakeup came first.
        if (t.NotePermit)
        {
            t.NotePermit = false;
            Record(t, OpKind.Park, "note", null, null, "already woken");
            return;
        }
        Record(t, OpKind.Park, "note", null, null, "sleeps");
        t.Execution.Block(t, VirtualThread.ParkMarker, $"Park (notesleep, called from {name})");
    }

    public static void Unpark(ParkHandle thread, string? name = null)
    {
        if (Enter(OpKind.Unpark, name) is not { } t)
        {
            return;
        }
        if (thread.Backend is not VirtualThread w || w.Execution != t.Execution)
        {
            t.Execution.Fail(Results.FailureKinds.Exception, $"{t.Name} unparked a thread that is not part of this execution ({thread.Name})", nameof(InvalidOperationException));
            return;
        }
        // runtime: notewakeup.
        if (w.Status == ThreadStatus.Blocked && w.WaitObject == VirtualThread.ParkMarker)
        {
            t.Execution.Wake(t, w);
        }
        else
        {
            w.NotePermit = true;
        }
        Record(t, OpKind.Unpark, w.Name, null, null);
    }

    public static void SpinHint()
    {
        if (VirtualThread.Current is { } t)
        {
            t.Execution.Point(t, OpKind.SpinHint, null, yielded: true);
            Record(t, OpKind.SpinHint, "", null, null);
        }
    }

    public static void Yield()
    {
        if (VirtualThread.Current is { } t)
        {
            t.Execution.Point(t, OpKind.Yield, null, yielded: true);
            Record(t, OpKind.Yield, "", null, null);
        }
    }

    /// <summary>As Go's active_spin: a few rounds. Each round is a yield point, so spinning costs steps, not wall time.</summary>
    public static bool CanSpin(int iter) => iter < 4;

    public static long Nanotime() => VirtualThread.Current?.Execution.Clock ?? 0;

    public static void Atomic<TState>(TState state, Action<TState> operation, string? name = null)
    {
        if (Enter(OpKind.Atomic, name) is not { } t)
        {
            operation(state);
            return;
        }
        operation(state);
        Record(t, OpKind.Atomic, name, null, null);
    }

    public static void WaitExternal<TState>(object resource, TState state, Func<TState, bool> attempt, string? name = null)
    {
        if (Enter(OpKind.WaitExternal, name) is not { } t)
        {
            RealSync.WaitExternal(resource, state, attempt, name);
            return;
        }
        var e = t.Execution;
        while (true)
        {
            if (attempt(state))
            {
                Record(t, OpKind.WaitExternal, name, null, null, "succeeds");
                return;
            }
            Record(t, OpKind.WaitExternal, name, null, null, "fails: waits");
            var waiters = e.External(resource);
            waiters.Waiters.Add(t);
            e.Block(t, waiters, Execution.Clean(name));
        }
    }

    public static void NotifyExternal(object resource)
    {
        if (VirtualThread.Current is not { } t || t.Execution.ExistingExternal(resource) is not { } waiters)
        {
            return;
        }
        foreach (var w in waiters.Waiters)
        {
            t.Execution.Wake(t, w);
        }
        waiters.Waiters.Clear();
    }

    private static VirtualThread? Enter(OpKind op, string? name)
    {
        var t = VirtualThread.Current;
        t?.Execution.Point(t, op, name);
        return t;
    }

    private static void Record(VirtualThread t, OpKind op, string? name, long? before, long? after, string? note = null)
    {
        t.Execution.Trace?.Operation(t.Execution.Steps, t.Id, op, name, before, after, note);
    }

    private static ControlledSemaQueue Queue(ref Sema sema, Execution e)
    {
        if (sema.Waiters is ControlledSemaQueue q && q.Owner == e)
        {
            return q;
        }
        var fresh = new ControlledSemaQueue(e);
        sema.Waiters = fresh;
        return fresh;
    }
}
