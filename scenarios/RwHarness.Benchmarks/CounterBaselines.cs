using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace RwHarness.Benchmarks;

/// <summary>
/// The limits a read-mostly lock lives between, measured exactly like <see cref="ThroughputBenchmarks"/>
/// (same threads, same operations per invocation): every thread doing Interlocked increment + decrement
/// pairs on one shared counter (what a counter-based read lock costs when readers run on several cores:
/// the cache line bounces), and on its own padded counter (no sharing at all: the ceiling BRAVO aims at).
/// Recorded as the locks <c>shared-counter</c> and <c>padded-counters</c>, workload <c>empty</c>, 100 % reads.
/// </summary>
public class CounterBaselines
{
    private long[] cells = null!;
    private Gang gang = null!;
    private bool shared;

    [Params(1, 2, 4)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        // 16 longs (128 bytes) per thread, each counter in the middle of its block.
        cells = new long[(Threads + 2) * 16];
        gang = new Gang(Threads, Work);
    }

    [GlobalCleanup]
    public void Cleanup() => gang.Dispose();

    [Benchmark(OperationsPerInvoke = ThroughputBenchmarks.OpsPerInvoke)]
    public void SharedCounter()
    {
        shared = true;
        gang.Run();
    }

    [Benchmark(OperationsPerInvoke = ThroughputBenchmarks.OpsPerInvoke)]
    public void PaddedCounters()
    {
        shared = false;
        gang.Run();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see LockOps.cs: no tier-0 code is ever timed
    private void Work(int thread)
    {
        ref var c = ref cells[(shared ? 1 : thread + 1) * 16 + 8];
        var n = ThroughputBenchmarks.OpsPerInvoke / Threads;
        for (var i = 0; i < n; i++)
        {
            Interlocked.Increment(ref c);
            Interlocked.Decrement(ref c);
        }
    }
}
