namespace RwHarness.Benchmarks;

/// <summary>
/// A fixed team of threads for the multi-threaded workloads. The threads are started once (in the
/// benchmark's GlobalSetup), then every <see cref="Run"/> releases all of them through a barrier, the
/// calling thread doing share 0 itself, and returns when all have finished: one BenchmarkDotNet invocation
/// is one <see cref="Run"/>, and no thread is created or destroyed while BenchmarkDotNet is timing.
/// </summary>
/// <remarks>
/// The two barrier phases per invocation cost a few microseconds; each invocation does enough operations
/// (<see cref="ThroughputBenchmarks.OpsPerInvoke"/>) that this stays around 1% for the fastest locks, and
/// it is the same for every lock, so ratios measured in one run are unaffected.
/// </remarks>
internal sealed class Gang : IDisposable
{
    private readonly Action<int> work;
    private readonly Thread[] threads;
    private readonly Barrier? barrier;
    private volatile bool stopping;

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
        barrier.SignalAndWait();
        work(0);
        barrier.SignalAndWait();
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
