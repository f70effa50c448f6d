using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace RwHarness.Benchmarks;

/// <summary>
/// One thread, no contention: the cost of a read pair (EnterRead + ExitRead) and a write pair
/// (EnterWrite + ExitWrite), per lock, next to the raw floors (an Interlocked increment + decrement pair,
/// and Go's sync.Mutex port alone). Each invocation runs <see cref="Pairs"/> pairs in a loop, so the
/// benchmark call itself costs nothing measurable per pair.
/// </summary>
public class UncontendedBenchmarks
{
    public const int Pairs = 1024;

    private LockUnderTest target = null!;

    [ParamsSource(nameof(AllLocks))]
    public string Lock { get; set; } = LockUnderTest.Rwls;

    public static IEnumerable<string> AllLocks => LockUnderTest.UncontendedLocks;

    [GlobalSetup]
    public void Setup() => target = new LockUnderTest(Lock);

    [GlobalCleanup]
    public void Cleanup() => target.Dispose();

    [Benchmark(OperationsPerInvoke = Pairs)]
    public long ReadPair() => target.Run(new ReadPairs());

    [Benchmark(OperationsPerInvoke = Pairs)]
    public long WritePair() => target.Run(new WritePairs());

    private readonly struct ReadPairs : ILockBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see LockOps.cs: no tier-0 code is ever timed
        public long Run<TOps>(TOps ops)
            where TOps : struct, ILockOps
        {
            for (var i = 0; i < Pairs; i++)
            {
                ops.EnterRead();
                ops.ExitRead();
            }
            return Pairs;
        }
    }

    private readonly struct WritePairs : ILockBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see LockOps.cs: no tier-0 code is ever timed
        public long Run<TOps>(TOps ops)
            where TOps : struct, ILockOps
        {
            for (var i = 0; i < Pairs; i++)
            {
                ops.EnterWrite();
                ops.ExitWrite();
            }
            return Pairs;
        }
    }
}
