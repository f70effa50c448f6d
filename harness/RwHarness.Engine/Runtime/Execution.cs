using System.Text;
using RwHarness.Engine.Strategies;
using RwHarness.Engine.Tracing;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Engine.Runtime;

/// <summary>
/// One execution (iteration) of a scenario under the controlled scheduler, in the style of CHESS
/// (Musuvathi et al., OSDI 2008): virtual threads run one at a time, each stops before every visible
/// operation, and the strategy picks who performs the next one. Threads hand the turn to each other
/// directly; the scheduling decision is made on the thread that stops, so a step that keeps the same
/// thread costs no context switch.
/// </summary>
internal sealed class Execution : ISchedulerView
{
    private readonly IStrategy strategy;
    private readonly ScenarioInstance instance;
    private readonly Worker worker;
    private readonly int maxSteps;
    private readonly int[] enabled;
    private int nextUnstarted;
    private volatile int turn = -1;
    private volatile bool aborting;
    private volatile bool done;
    private int liveCount;

    public Execution(Worker worker, ScenarioInstance instance, IStrategy strategy, int maxSteps, TraceRecorder? trace)
    {
        this.worker = worker;
        this.instance = instance;
        this.strategy = strategy;
        this.maxSteps = maxSteps;
        Trace = trace;
        var specs = instance.Threads;
        Threads = new VirtualThread[specs.Count];
        enabled = new int[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            Threads[i] = new VirtualThread(this, i, specs[i].Name, specs[i].Body, worker.Host(i));
        }
    }

    public VirtualThread[] Threads { get; }

    /// <summary>Scheduling steps taken (every visible operation is one).</summary>
    public int Steps { get; private set; }

    /// <summary>The choices made where more than one thread could run: the schedule, for replay.</summary>
    public List<int> Decisions { get; } = [];

    public TraceRecorder? Trace { get; }

    public ExecutionFailure? Failure { get; private set; }

    public bool WitnessReached { get; private set; }

    /// <summary>Logical time for Nanotime: deterministic, advances with steps.</summary>
    public long Clock => Steps * 10_000L;

    public bool IsOver => (done || aborting) && Volatile.Read(ref liveCount) == 0;

    public bool Aborting => aborting;

    public int Turn => turn;

    // ---- called by the worker (controller) ----

    public void Start()
    {
        foreach (var t in Threads)
        {
            t.Host.Assign(t);
        }
        CheckWitness();
        var first = Choose(null);
        if (first is not null)
        {
            GiveTurn(first);
        }
    }

    /// <summary>The watchdog saw no step for too long: the thread holding the turn blocked outside ISync.</summary>
    public VirtualThread? DeclareUncontrolledBlocking(TimeSpan watchdog)
    {
        var t = turn;
        if (t < 0 || t >= Threads.Length || done || aborting)
        {
            return null;
        }
        var vt = Threads[t];
        var last = vt.LastStep > 0 ? $" (its last operation was step {vt.LastStep}: {vt.PendingOp} {Clean(vt.PendingLocation)})" : " (before its first operation)";
        RecordFailure(FailureKinds.UncontrolledBlocking,
            $"{vt.Name} reached no scheduling point for {watchdog.TotalSeconds:0.###} s{last}: it blocked outside ISync (a raw Monitor, Thread.Sleep, an uncontrolled wait) or loops without a visible operation",
            null);
        AbortAll(except: vt);
        return vt;
    }

    public int LiveCount => Volatile.Read(ref liveCount);

    public bool IsWaiting(int thread) =>
        thread >= 0 && thread < Threads.Length
        && Threads[thread] is { } t
        && (t.Status == ThreadStatus.Blocked || (t.Status == ThreadStatus.Runnable && t.Yielded));

    // ---- called on host threads ----

    /// <summary>Runs a virtual thread's body on its host, from its first turn to its end.</summary>
    public void RunThread(VirtualThread vt)
    {
        VirtualThread.Current = vt;
        Scheduler.Current = this;
        try
        {
            WaitTurn(vt);
            vt.Body();
            ThreadFinished(vt);
        }
        catch (ExecutionAbortedException)
        {
        }
        catch (Exception e) when (!aborting)
        {
            vt.Status = ThreadStatus.Finished;
            var kind = e is ScenarioAssertionException ? FailureKinds.Invariant : FailureKinds.Exception;
            var message = e is ScenarioAssertionException
                ? $"{vt.Name}: assertion failed: {e.Message}"
                : $"{vt.Name} threw {e.GetType().Name}: {e.Message}";
            Trace?.Note(Steps, vt.Id, $"throws {e.GetType().Name}");
            RecordFailure(kind, message, e.GetType().Name);
            AbortAll(except: vt);
        }
        catch (Exception)
        {
            // Unwinding an aborted execution: whatever lock code threw on the way out does not matter.
        }
        finally
        {
            VirtualThread.Current = null;
            Scheduler.Current = null;
            if (Interlocked.Decrement(ref liveCount) == 0)
            {
                worker.WakeController();
            }
        }
    }

    /// <summary>
    /// The thread stops before an operation: check the invariant, count the step, let the strategy choose.
    /// Returns when <paramref name="me"/> may perform its operation.
    /// </summary>
    public void Point(VirtualThread me, OpKind op, string? location, bool yielded = false)
    {
        if (aborting)
        {
            throw new ExecutionAbortedException();
        }
        me.PendingOp = op;
        me.PendingLocation = location;
        me.Yielded = yielded;
        if (yielded)
        {
            me.YieldStamp = Steps;
        }
        Trace?.Settle();
        CheckInvariant(me);
        if (++Steps > maxSteps)
        {
            Fail(FailureKinds.StepBound, $"the execution exceeded {maxSteps} steps: a potential livelock or starvation (threads still running: {Running()})");
        }
        Reschedule(me);
        me.LastStep = Steps;
    }

    /// <summary>The thread cannot go on: it stays disabled until <see cref="Wake"/>, then resumes its operation.</summary>
    public void Block(VirtualThread me, object waitObject, string blockedOn)
    {
        me.Status = ThreadStatus.Blocked;
        me.BlockedOn = blockedOn;
        Trace?.Settle();
        me.WaitObject = waitObject;
        Trace?.Note(Steps, me.Id, "blocks in " + blockedOn);
        Reschedule(me);
        me.BlockedOn = null;
        me.WaitObject = null;
    }

    private Dictionary<object, ExternalWaiters>? external;

    /// <summary>The waiters on an external resource (compared by reference).</summary>
    public ExternalWaiters External(object resource)
    {
        external ??= new Dictionary<object, ExternalWaiters>(ReferenceEqualityComparer.Instance);
        if (!external.TryGetValue(resource, out var w))
        {
            w = new ExternalWaiters();
            external[resource] = w;
        }
        return w;
    }

    public ExternalWaiters? ExistingExternal(object resource) =>
        external is not null && external.TryGetValue(resource, out var w) ? w : null;

    /// <summary>Makes a blocked thread runnable again; it retries when next chosen.</summary>
    public void Wake(VirtualThread waker, VirtualThread woken)
    {
        if (woken.Status == ThreadStatus.Blocked)
        {
            woken.Status = ThreadStatus.Runnable;
            Trace?.Note(Steps, waker.Id, "wakes " + woken.Name);
        }
    }

    /// <summary>Records a failure and unwinds the calling virtual thread.</summary>
    public void Fail(string kind, string message, string? exceptionType = null)
    {
        RecordFailure(kind, message, exceptionType);
        AbortAll(except: VirtualThread.Current);
        throw new ExecutionAbortedException();
    }

    private void ThreadFinished(VirtualThread me)
    {
        if (aborting)
        {
            throw new ExecutionAbortedException();
        }
        me.Status = ThreadStatus.Finished;
        Trace?.Settle();
        CheckInvariant(me);
        Reschedule(me);
    }

    private void Reschedule(VirtualThread me)
    {
        var next = Choose(me);
        if (next is null)
        {
            // Every thread finished.
            return;
        }
        if (next == me)
        {
            return;
        }
        GiveTurn(next);
        if (me.Status != ThreadStatus.Finished)
        {
            WaitTurn(me);
        }
    }

    private VirtualThread? Choose(VirtualThread? me)
    {
        // Threads that have not started run to their first operation in id order: no choice is needed there.
        while (nextUnstarted < Threads.Length)
        {
            var t = Threads[nextUnstarted++];
            if (t.Status == ThreadStatus.NotStarted)
            {
                t.Status = ThreadStatus.Runnable;
                return t;
            }
        }

        var count = 0;
        foreach (var t in Threads)
        {
            if (t.Status == ThreadStatus.Runnable)
            {
                enabled[count++] = t.Id;
            }
        }
        if (count == 0)
        {
            if (Array.TrueForAll(Threads, t => t.Status == ThreadStatus.Finished))
            {
                Completed();
                return null;
            }
            Fail(FailureKinds.Deadlock, DescribeDeadlock());
        }

        // Switching away from a thread that has not performed any operation yet preempts nothing.
        var current = me is { Status: ThreadStatus.Runnable, LastStep: > 0 } ? me.Id : -1;
        var span = enabled.AsSpan(0, count);
        if (me is { Status: ThreadStatus.Runnable, Yielded: true })
        {
            strategy.OnYield(me.Id);
        }
        // Fair scheduling of spin loops (as in CHESS): threads stopped at a yield wait while any other
        // thread can do real work, so a spin loop can never starve the thread it waits for.
        var working = 0;
        foreach (var id in span)
        {
            if (!Threads[id].Yielded)
            {
                working++;
            }
        }
        if (working > 0 && working < span.Length)
        {
            var j = 0;
            foreach (var id in span)
            {
                if (!Threads[id].Yielded)
                {
                    enabled[j++] = id;
                }
            }
            span = enabled.AsSpan(0, j);
            if (current >= 0 && Threads[current].Yielded)
            {
                current = -1;
            }
        }
        else if (working == 0 && span.Length > 1)
        {
            // Everyone spins: the thread that has waited longest since its yield goes next (no choice to explore).
            var oldest = span[0];
            foreach (var id in span)
            {
                if (Threads[id].YieldStamp < Threads[oldest].YieldStamp)
                {
                    oldest = id;
                }
            }
            return Threads[oldest];
        }
        if (span.Length == 1)
        {
            return Threads[span[0]];
        }
        int choice;
        try
        {
            choice = strategy.NextThread(span, current);
        }
        catch (ReplayDivergenceException e)
        {
            Fail(FailureKinds.ReplayDivergence, e.Message);
            throw;
        }
        Decisions.Add(choice);
        return Threads[choice];
    }

    private void GiveTurn(VirtualThread next)
    {
        if (!next.Started)
        {
            Interlocked.Increment(ref liveCount);
            next.Started = true;
        }
        turn = next.Id;
        next.Host.Wake();
    }

    private void WaitTurn(VirtualThread me)
    {
        if (turn != me.Id && !aborting)
        {
            me.Host.WaitUntil(me, static v => v.Execution.turn == v.Id || v.Execution.aborting);
        }
        if (aborting)
        {
            throw new ExecutionAbortedException();
        }
    }

    private void Completed()
    {
        if (instance.Final?.Invoke() is { } message)
        {
            Fail(FailureKinds.Invariant, "final check: " + message);
        }
        done = true;
    }

    private void CheckInvariant(VirtualThread me)
    {
        if (instance.Invariant is { } invariant)
        {
            string? message;
            try
            {
                message = invariant();
            }
            catch (Exception e)
            {
                message = $"the invariant itself threw {e.GetType().Name}: {e.Message}";
            }
            if (message is not null)
            {
                Trace?.Note(Steps, me.Id, "invariant violated");
                Fail(FailureKinds.Invariant, message);
            }
        }
        CheckWitness();
    }

    private void CheckWitness()
    {
        if (!WitnessReached && instance.Witness is { } witness && witness())
        {
            WitnessReached = true;
            Trace?.Note(Steps, -1, FoundSchedule.WitnessNote);
        }
    }

    private void RecordFailure(string kind, string message, string? exceptionType)
    {
        Failure ??= new ExecutionFailure(kind, message, exceptionType, Steps);
    }

    private void AbortAll(VirtualThread? except)
    {
        aborting = true;
        foreach (var t in Threads)
        {
            if (t != except && t.Started)
            {
                t.Host.Wake();
            }
        }
        worker.WakeController();
    }

    private string Running()
    {
        return string.Join(", ", Threads.Where(t => t.Status != ThreadStatus.Finished).Select(t => t.Name));
    }

    private string DescribeDeadlock()
    {
        var sb = new StringBuilder("every live thread is blocked:");
        foreach (var t in Threads)
        {
            if (t.Status == ThreadStatus.Finished)
            {
                continue;
            }
            sb.Append(' ').Append(t.Name).Append(" waits in ").Append(t.BlockedOn ?? $"{t.PendingOp} {Clean(t.PendingLocation)}");
            if (instance.DescribeThread?.Invoke(t.Id) is { } activity)
            {
                sb.Append(" (").Append(activity).Append(')');
            }
            sb.Append(';');
        }
        sb.Length--;
        return sb.ToString();
    }

    internal static string Clean(string? location)
    {
        if (string.IsNullOrEmpty(location))
        {
            return "";
        }
        if (location.Contains("=>", StringComparison.Ordinal))
        {
            // A lambda passed to Atomic/WaitExternal: show the call it makes ("TryEnterWriteLock(0)").
            var call = System.Text.RegularExpressions.Regex.Match(location, @"(\w+\([^()]*\))\s*;?\s*}?\s*$");
            return call.Success ? call.Groups[1].Value : location[(location.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim();
        }
        var s = location.StartsWith("ref ", StringComparison.Ordinal) ? location[4..] : location;
        return s.StartsWith("this.", StringComparison.Ordinal) ? s[5..] : s;
    }
}

/// <summary>How an execution failed.</summary>
internal sealed record ExecutionFailure(string Kind, string Message, string? ExceptionType, int Step);
