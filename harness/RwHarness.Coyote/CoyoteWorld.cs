using System.Globalization;
using Microsoft.Coyote.Runtime;

namespace RwHarness.Coyote;

/// <summary>
/// The state CoyoteSync keeps for one Coyote iteration: the tasks it knows, the tasks waiting on external
/// resources, a logical clock, the operation log, and the runner's per-step hook (invariants, witness).
/// </summary>
/// <remarks>
/// Coyote runs one controlled task at a time and hands control over with proper synchronization, so this
/// state needs no locks. The runner installs a fresh world per iteration; outside the runner a default
/// world serves any caller (for example a user's own Coyote test over CoyoteSync).
/// </remarks>
internal sealed class CoyoteWorld : RwHarness.Model.ISchedulerView
{
    [ThreadStatic]
    private static CoyoteThread? currentThread;

    [ThreadStatic]
    private static CoyoteWorld? currentThreadWorld;

    private static CoyoteWorld current = new(recordOperations: false);

    private readonly Dictionary<object, List<CoyoteThread>> externalWaiters = new(ReferenceEqualityComparer.Instance);
    private readonly bool recordOperations;
    private long clockTicks;

    public CoyoteWorld(bool recordOperations)
    {
        this.recordOperations = recordOperations;
    }

    public static CoyoteWorld Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value);
    }

    /// <summary>Every task this world has seen, scenario threads first.</summary>
    public List<CoyoteThread> Threads { get; } = [];

    /// <summary>The operations performed so far, in order (when recording).</summary>
    public List<OperationRecord> Operations { get; } = [];

    /// <summary>Scheduling points passed through CoyoteSync in this world.</summary>
    public long Steps { get; private set; }

    /// <summary>The scenario's description of what a thread is doing (by thread index), for deadlock reports.</summary>
    public Func<int, string?>? DescribeThread { get; set; }

    private int nextSemaId;

    /// <summary>A short per-execution name for a semaphore that someone waits on ("sema#2").</summary>
    public int NewSemaId() => ++nextSemaId;

    /// <summary>Called before every scheduling point: the runner checks invariants and the witness here.</summary>
    public Action? BeforeStep { get; set; }

    /// <summary>The calling task's thread; a task the runner did not start gets one on first use.</summary>
    public CoyoteThread CurrentThread
    {
        get
        {
            if (currentThread is { } t && ReferenceEquals(currentThreadWorld, this))
            {
                return t;
            }
            var fresh = new CoyoteThread(-1, $"task#{Task.CurrentId?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
            Threads.Add(fresh);
            Bind(fresh);
            return fresh;
        }
    }

    public CoyoteThread AddThread(int index, string name)
    {
        var t = new CoyoteThread(index, name);
        Threads.Add(t);
        return t;
    }

    /// <summary>Makes <paramref name="thread"/> the calling OS thread's current thread (a scenario body runs on one).</summary>
    public void Bind(CoyoteThread? thread)
    {
        currentThread = thread;
        currentThreadWorld = thread is null ? null : this;
        RwHarness.Model.Scheduler.Current = thread is null ? null : this;
    }

    /// <summary>Scenarios ask this to wait until another thread waits in the lock: blocked in CoyoteSync, or spinning.</summary>
    public bool IsWaiting(int thread)
    {
        foreach (var t in Threads)
        {
            if (t.Index == thread)
            {
                return t.WaitingOn is not null || t.Spinning;
            }
        }
        return false;
    }

    /// <summary>One scheduling point: let the runner look at the state, then let Coyote pick who moves next.</summary>
    public void Step()
    {
        Steps++;
        BeforeStep?.Invoke();
        SchedulingPoint.Interleave();
    }

    /// <summary>
    /// Runs the runner's checks without a scheduling point: before a task blocks or finishes, so a state
    /// its last operation made is judged even if no task ever steps again (a deadlock right after it).
    /// </summary>
    public void CheckNow() => BeforeStep?.Invoke();

    /// <summary>A scheduling point that tells Coyote the caller is spinning (lowers its priority in some strategies).</summary>
    public void YieldStep()
    {
        Steps++;
        BeforeStep?.Invoke();
        var me = currentThread;
        if (me is not null)
        {
            me.Spinning = true;
        }
        SchedulingPoint.Yield();
        if (me is not null)
        {
            me.Spinning = false;
        }
    }

    /// <summary>Logical nanoseconds: one microsecond per scheduling point, strictly increasing.</summary>
    public long Nanotime() => (Steps * 1000) + (++clockTicks);

    public void Record(string op, string? location, string? before = null, string? after = null, string? note = null)
    {
        var t = CurrentThread;
        t.LastOperation = location is null ? op : $"{op} {location}";
        if (recordOperations)
        {
            Operations.Add(new OperationRecord(t, op, location ?? "", before, after, note));
        }
    }

    public void AddExternalWaiter(object resource, CoyoteThread waiter)
    {
        if (!externalWaiters.TryGetValue(resource, out var list))
        {
            list = [];
            externalWaiters[resource] = list;
        }
        list.Add(waiter);
    }

    /// <summary>Wakes every task waiting on <paramref name="resource"/>; returns how many.</summary>
    public int WakeExternalWaiters(object resource)
    {
        if (!externalWaiters.Remove(resource, out var list))
        {
            return 0;
        }
        foreach (var w in list)
        {
            w.Wake();
        }
        return list.Count;
    }

    /// <summary>One line per blocked task: who waits on what, and what it did last.</summary>
    public IReadOnlyList<string> DescribeBlocked() =>
        Threads.Where(t => t.WaitingOn is not null)
            .Select(t => $"{t.Name} waits in {t.WaitingOn}" + Describe(t))
            .ToList();

    private string Describe(CoyoteThread t)
    {
        string? doing = null;
        if (t.Index >= 0 && DescribeThread is { } describe)
        {
            try
            {
                doing = describe(t.Index);
            }
            catch (Exception e)
            {
                doing = $"DescribeThread threw {e.GetType().Name}";
            }
        }
        return doing is null ? "" : $" ({doing})";
    }
}

/// <summary>One operation performed through CoyoteSync, for the readable interleaving.</summary>
internal sealed record OperationRecord(CoyoteThread Thread, string Op, string Location, string? Before, string? After, string? Note);
