namespace RwHarness.Benchmarks;

/// <summary>
/// A fixed team of threads for the multi-threaded workloads. The threads are started once (in the
/// benchmark's GlobalSetup), then every <see cref="Run"/> releases all of them through a barrier, the
/// calling thread doing share 0 itself, and returns when all have finished: one BenchmarkDotNet invocation
/// is one <see cref="Run"/>, and no thread is created or destroyed while BenchmarkDotNet is timing.
/// </summary>
/// <remarks>
/// <para>
/// Overlap is what a contended case measures, so the threads must really run together. Waking a thread
/// blocked in the barrier takes tens of microseconds on a VM, as long as a whole share of a fast lock's
/// operations: with the barrier alone, the first thread awake used to finish before the last one started,
/// and a counter-based lock at 2 threads came out faster than a single shared counter (impossible if the
/// threads overlap). So after the barrier every thread checks in and spins until all have, then starts.
/// </para>
/// <para>
/// The wake-up and the rendezvous cost the same for every lock and are a few percent of an invocation
/// (<see cref="ThroughputBenchmarks.OpsPerInvoke"/> operations), so ratios measured in one run are unaffected.
/// </para>
/// </remarks>
internal sealed class Gang : IDisposable
{
    private readonly Action<int> work;
    private readonly Thread[] threads;
    private readonly Barrier? barrier;
    private volatile bool stopping;
    private int checkedIn; // threads at the start line in the current Run

    public Gang(int size, Action<int> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        this.work = work;
        Size = size;
        threads = new Thread[size - 1];
        if (size == 1)
        {
            return;
        }
        barrier = new Barrier(size);
        for (var i = 1; i < size; i++)
        {
            var index = i;
            threads[i - 1] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"bench-{index}" };
            threads[i - 1].Start();
        }
    }

    public int Size { get; }

    private void Loop(int index)
    {
        while (true)
        {
            barrier!.SignalAndWait(); // start
            if (stopping)
            {
                return;
            }
            StartLine();
            work(index);
            barrier.SignalAndWait(); // done
        }
    }

    /// <summary>Runs <c>work(i)</c> on every thread of the team at once; returns when all are done.</summary>
    public void Run()
    {
        if (barrier is null)
        {
            work(0);
            return;
        }
        // No worker touches checkedIn between the previous Run's "done" and this Run's "start".
        Volatile.Write(ref checkedIn, 0);
        barrier.SignalAndWait();
        StartLine();
        work(0);
        barrier.SignalAndWait();
    }

    /// <summary>Checks in and spins until every thread of the team has, so all start their share together.</summary>
    private void StartLine()
    {
        Interlocked.Increment(ref checkedIn);
        var spin = new SpinWait();
        while (Volatile.Read(ref checkedIn) < Size)
        {
            // Yields (never sleeps) once spinning gets long: with 4 threads on 2 cores the last thread
            // to check in needs a core.
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Dispose()
    {
        if (barrier is null)
        {
            return;
        }
        stopping = true;
        barrier.SignalAndWait();
        foreach (var t in threads)
        {
            t.Join();
        }
        barrier.Dispose();
    }
}
