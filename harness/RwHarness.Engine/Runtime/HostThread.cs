using System.Runtime.InteropServices;

namespace RwHarness.Engine.Runtime;

/// <summary>
/// An OS thread that runs virtual threads, one execution after another (threads are reused across
/// iterations: creating one costs far more than an execution). A virtual thread keeps its host for its
/// whole life, which is what thread-affine primitives such as ReaderWriterLockSlim need.
/// </summary>
/// <remarks>
/// Hand-off: on Linux all hosts of a worker are pinned to one core and sleep on a futex, so passing the
/// turn is a same-core context switch (a few microseconds). Elsewhere they spin briefly, then sleep on
/// an event.
/// </remarks>
internal sealed unsafe class HostThread
{
    private static readonly int SpinRounds = LinuxThreads.Available ? 0 : 40;

    private readonly ManualResetEventSlim wakeup = new(false, 0);
    private readonly int* futexWord = (int*)NativeMemory.AllocZeroed(sizeof(int));
    private readonly Thread thread;
    private int pinnedCpu = -1;
    private VirtualThread? job;
    private volatile bool shutdown;

    public HostThread(string name, int cpu)
    {
        Cpu = cpu;
        thread = new Thread(Loop, 4 * 1024 * 1024) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>The core this host runs on; it re-pins itself before its next job when this changes.</summary>
    public volatile int Cpu;

    /// <summary>Set when the thread blocked outside ISync; it is never given work again.</summary>
    public volatile bool Lost;

    public void Assign(VirtualThread vt) => Volatile.Write(ref job, vt);

    public void Wake()
    {
        if (LinuxThreads.Available)
        {
            if (Interlocked.Exchange(ref *futexWord, 1) == 0)
            {
                LinuxThreads.FutexWake(futexWord);
            }
            return;
        }
        wakeup.Set();
    }

    public void Shutdown()
    {
        shutdown = true;
        Wake();
    }

    /// <summary>Waits until <paramref name="ready"/> holds, sleeping until <see cref="Wake"/> between checks.</summary>
    public void WaitUntil<TState>(TState state, Func<TState, bool> ready)
    {
        for (var i = 0; i < SpinRounds; i++)
        {
            if (ready(state))
            {
                return;
            }
            if ((i & 7) == 7)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
        while (true)
        {
            if (LinuxThreads.Available)
            {
                // The word is cleared before the check, so a Wake between the check and the sleep is never lost.
                Volatile.Write(ref *futexWord, 0);
                Interlocked.MemoryBarrier();
                if (ready(state))
                {
                    return;
                }
                LinuxThreads.FutexWait(futexWord, 0);
                continue;
            }
            wakeup.Reset();
            // Checked after Reset, so a Wake between the check and the Wait is never lost.
            if (ready(state))
            {
                return;
            }
            wakeup.Wait();
        }
    }

    private void Loop()
    {
        while (!shutdown && !Lost)
        {
            if (Cpu != pinnedCpu)
            {
                pinnedCpu = Cpu;
                LinuxThreads.PinCurrentThread(pinnedCpu);
            }
            WaitUntil(this, static h => h.shutdown || (Volatile.Read(ref h.job) is { } j && j.Started));
            if (shutdown)
            {
                return;
            }
            var vt = Volatile.Read(ref job)!;
            Volatile.Write(ref job, null);
            if (Cpu != pinnedCpu)
            {
                pinnedCpu = Cpu;
                LinuxThreads.PinCurrentThread(pinnedCpu);
            }
            vt.Execution.RunThread(vt);
        }
    }
}
