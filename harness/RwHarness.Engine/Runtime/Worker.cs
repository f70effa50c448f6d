using System.Diagnostics;
using RwHarness.Engine.Strategies;
using RwHarness.Engine.Tracing;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Engine.Runtime;

/// <summary>
/// Runs executions one after another on a reusable set of host threads, and watches each one:
/// a step that never comes means a thread blocked outside ISync, which is reported, never waited on.
/// </summary>
internal sealed class Worker : IDisposable
{
    private readonly List<HostThread> hosts = [];
    private readonly ManualResetEventSlim controller = new(false, 0);
    private static int nextCpu;
    private readonly string name;

    // Every worker gets its own core (round robin), and all its hosts share it.
    private readonly int cpu = Interlocked.Increment(ref nextCpu) % Environment.ProcessorCount;

    public Worker(string name) => this.name = name;

    public HostThread Host(int index)
    {
        while (hosts.Count <= index)
        {
            hosts.Add(new HostThread($"{name}-vt{hosts.Count}", cpu));
        }
        return hosts[index];
    }

    public void WakeController() => controller.Set();

    /// <summary>Runs one execution to its end (or its failure) and returns what happened.</summary>
    /// <returns>null when the strategy has nothing left to explore.</returns>
    public ExecutionOutcome? Run(Func<ScenarioInstance> factory, IStrategy strategy, long iteration, int maxSteps, TimeSpan watchdog, bool trace)
    {
        ScenarioInstance instance;
        try
        {
            instance = factory();
        }
        catch (Exception e)
        {
            var failure = new ExecutionFailure(FailureKinds.Exception, $"creating the scenario threw {e.GetType().Name}: {e.Message}", e.GetType().Name, 0);
            return new ExecutionOutcome(failure, 0, [], false, null, []);
        }

        if (!strategy.NewExecution(iteration, instance.Threads.Count))
        {
            return null;
        }
        var recorder = trace ? new TraceRecorder(instance.DescribeState) : null;
        var exec = new Execution(this, instance, strategy, maxSteps, recorder);
        exec.Start();
        WaitForEnd(exec, watchdog);
        try
        {
            instance.Finished?.Invoke();
        }
        catch (Exception)
        {
            // Scenario bookkeeping must never take the engine down.
        }
        return new ExecutionOutcome(exec.Failure, exec.Steps, exec.Decisions, exec.WitnessReached, recorder,
            exec.Threads.Select(t => t.Name).ToArray());
    }

    private void WaitForEnd(Execution exec, TimeSpan watchdog)
    {
        // Spin a little: most executions end within microseconds of the last hand-off.
        for (var i = 0; i < 64 && !exec.IsOver; i++)
        {
            Thread.SpinWait(30);
        }
        var lastSteps = -1;
        var lastProgress = Stopwatch.GetTimestamp();
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(watchdog.TotalMilliseconds / 4, 5, 100));
        while (true)
        {
            controller.Reset();
            if (exec.IsOver)
            {
                return;
            }
            controller.Wait(poll);
            if (exec.IsOver)
            {
                return;
            }
            var steps = exec.Steps;
            if (steps != lastSteps)
            {
                lastSteps = steps;
                lastProgress = Stopwatch.GetTimestamp();
                continue;
            }
            if (Stopwatch.GetElapsedTime(lastProgress) < watchdog)
            {
                continue;
            }
            // No step for a whole watchdog period.
            var stuck = exec.Aborting ? CurrentlyStuck(exec) : exec.DeclareUncontrolledBlocking(watchdog);
            if (stuck is not null)
            {
                Abandon(exec, stuck);
            }
            else if (exec.Aborting)
            {
                // Unwinding threads are stuck in user code: abandon every one still alive.
                foreach (var t in exec.Threads.Where(t => t.Started && t.Status != ThreadStatus.Finished))
                {
                    Abandon(exec, t);
                }
            }
            return;
        }
    }

    private static VirtualThread? CurrentlyStuck(Execution exec)
    {
        var t = exec.Turn;
        return t >= 0 && t < exec.Threads.Length && exec.LiveCount > 0 ? exec.Threads[t] : null;
    }

    private void Abandon(Execution exec, VirtualThread stuck)
    {
        // Give the other threads a moment to unwind, then leave the stuck OS thread behind for good.
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (exec.LiveCount > 1 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(1);
        }
        var index = hosts.IndexOf(stuck.Host);
        if (index >= 0)
        {
            stuck.Host.Lost = true;
            hosts[index] = new HostThread($"{name}-vt{index}r", cpu);
        }
    }

    public void Dispose()
    {
        foreach (var h in hosts)
        {
            h.Shutdown();
        }
        hosts.Clear();
        controller.Dispose();
    }
}

/// <summary>What one execution produced.</summary>
internal sealed record ExecutionOutcome(
    ExecutionFailure? Failure,
    int Steps,
    IReadOnlyList<int> Decisions,
    bool WitnessReached,
    TraceRecorder? Trace,
    string[] ThreadNames)
{
    /// <summary>A 64-bit FNV-1a hash of the schedule, to count distinct interleavings.</summary>
    public ulong ScheduleHash()
    {
        var h = 14695981039346656037UL;
        foreach (var d in Decisions)
        {
            h = (h ^ (ulong)(d + 1)) * 1099511628211UL;
        }
        return (h ^ (ulong)Steps) * 1099511628211UL;
    }
}
