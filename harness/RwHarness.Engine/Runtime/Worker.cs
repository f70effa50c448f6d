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
internal sealed unsafe class Worker : IDisposable
{
    private static readonly int[] WorkersOnCpu = new int[Math.Min(64, Environment.ProcessorCount)];

    private readonly List<HostThread> hosts = [];
    private readonly ManualResetEventSlim controller = new(false, 0);
    private readonly int* controllerWord = (int*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(sizeof(int));
    private readonly string name;
    private int cpu = -1;
    private ulong savedMask;

    public Worker(string name) => this.name = name;

    /// <summary>
    /// Starts a stretch of work on the calling thread: the worker takes the least busy core and pins its
    /// hosts and the calling (controller) thread there, so every hand-off stays on one core.
    /// </summary>
    public void Enter()
    {
        lock (WorkersOnCpu)
        {
            cpu = Array.IndexOf(WorkersOnCpu, WorkersOnCpu.Min());
            WorkersOnCpu[cpu]++;
        }
        foreach (var h in hosts)
        {
            h.Cpu = cpu;
        }
        savedMask = LinuxThreads.CurrentMask();
        LinuxThreads.PinCurrentThread(cpu);
    }

    /// <summary>Ends the stretch: gives the core back and restores the calling thread's affinity.</summary>
    public void Leave()
    {
        LinuxThreads.RestoreMask(savedMask);
        lock (WorkersOnCpu)
        {
            if (cpu >= 0)
            {
                WorkersOnCpu[cpu]--;
            }
        }
        cpu = -1;
    }

    public HostThread Host(int index)
    {
        while (hosts.Count <= index)
        {
            hosts.Add(new HostThread($"{name}-vt{hosts.Count}", Math.Max(cpu, 0)));
        }
        return hosts[index];
    }

    public void WakeController()
    {
        if (LinuxThreads.Available)
        {
            if (Interlocked.Exchange(ref *controllerWord, 1) == 0)
            {
                LinuxThreads.FutexWake(controllerWord);
            }
            return;
        }
        controller.Set();
    }

    /// <summary>Sleeps until <see cref="WakeController"/> or the timeout; the caller re-checks its condition.</summary>
    private void SleepController(Execution exec, TimeSpan timeout)
    {
        if (LinuxThreads.Available)
        {
            Volatile.Write(ref *controllerWord, 0);
            Interlocked.MemoryBarrier();
            if (!exec.IsOver)
            {
                LinuxThreads.FutexWait(controllerWord, 0, timeout);
            }
            return;
        }
        controller.Reset();
        if (!exec.IsOver)
        {
            controller.Wait(timeout);
        }
    }

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
            // Names are only printed with a trace; untraced executions (the hot loop) skip the array.
            trace ? exec.Threads.Select(t => t.Name).ToArray() : []);
    }

    private void WaitForEnd(Execution exec, TimeSpan watchdog)
    {
        var lastSteps = -1;
        var lastProgress = Stopwatch.GetTimestamp();
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(watchdog.TotalMilliseconds / 4, 5, 100));
        while (true)
        {
            if (exec.IsOver)
            {
                return;
            }
            SleepController(exec, poll);
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
            hosts[index] = new HostThread($"{name}-vt{index}r", Math.Max(cpu, 0));
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
    string[] ThreadNames) // empty unless traced
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
