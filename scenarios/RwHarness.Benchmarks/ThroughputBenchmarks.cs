using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace RwHarness.Benchmarks;

/// <summary>
/// Throughput under contention: <see cref="Threads"/> threads (1, 2, and 4, which oversubscribes a 2-core
/// machine on purpose) share one lock; each operation is a read with probability <see cref="ReadPercent"/>
/// (an exact, shuffled pattern of 100 operations per thread, different on each thread). A read is a
/// <c>using (l.Read())</c> section, as users write it (<see cref="ILockOps.Read"/>); a write is EnterWrite + ExitWrite. Two critical
/// sections: <c>Empty</c>, and <c>Dictionary</c>, the Router's peer-table lookup (seed 000): a read is a
/// <see cref="Dictionary{TKey, TValue}.TryGetValue"/> on 64 entries, a write overwrites an existing entry
/// (so nothing allocates).
/// </summary>
/// <remarks>
/// One invocation = <see cref="OpsPerInvoke"/> operations split evenly over the threads, so BenchmarkDotNet's
/// mean is wall-clock nanoseconds per operation over all threads, and 1e9 / mean is the total throughput.
/// </remarks>
public class ThroughputBenchmarks
{
    /// <summary>Operations per invocation over all threads (divisible by 1, 2, 3 and 4).</summary>
    public const int OpsPerInvoke = 480_000;

    private const int PatternLength = 100;
    private const int Keys = 64;

    private LockUnderTest target = null!;
    private Gang gang = null!;
    private byte[][] patterns = null!;
    private Dictionary<int, int> table = null!;
    private long[] sinks = null!;
    private bool useDictionary;

    [ParamsSource(nameof(AllLocks))]
    public string Lock { get; set; } = LockUnderTest.Rwls;

    [Params(1, 2, 4)]
    public int Threads { get; set; } = 1;

    [Params(100, 99, 90, 50, 0)]
    public int ReadPercent { get; set; } = 100;

    public static IEnumerable<string> AllLocks => LockUnderTest.Locks;

    [GlobalSetup]
    public void Setup()
    {
        target = new LockUnderTest(Lock);
        table = Enumerable.Range(0, Keys).ToDictionary(k => k, k => k);
        patterns = Enumerable.Range(0, Threads).Select(t => Pattern(ReadPercent, seed: 17 + t)).ToArray();
        sinks = new long[Threads * 16];
        gang = new Gang(Threads, Work);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        gang.Dispose();
        target.Dispose();
    }

    [Benchmark(OperationsPerInvoke = OpsPerInvoke)]
    public void Empty()
    {
        useDictionary = false;
        gang.Run();
    }

    [Benchmark(OperationsPerInvoke = OpsPerInvoke)]
    public void Dictionary()
    {
        useDictionary = true;
        gang.Run();
    }

    private void Work(int thread)
    {
        var rounds = OpsPerInvoke / Threads / PatternLength;
        sinks[thread * 16] += useDictionary
            ? target.Run(new DictionaryBody(patterns[thread], rounds, table))
            : target.Run(new EmptyBody(patterns[thread], rounds));
    }

    /// <summary>Exactly <paramref name="readPercent"/> reads in 100 operations, shuffled.</summary>
    internal static byte[] Pattern(int readPercent, int seed)
    {
        var p = new byte[PatternLength];
        for (var i = 0; i < readPercent; i++)
        {
            p[i] = 1;
        }
        new Random(seed).Shuffle(p);
        return p;
    }

    private readonly struct EmptyBody(byte[] pattern, int rounds) : ILockBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see LockOps.cs: no tier-0 code is ever timed
        public long Run<TOps>(TOps ops)
            where TOps : struct, ILockOps
        {
            long writes = 0;
            for (var r = 0; r < rounds; r++)
            {
                foreach (var read in pattern)
                {
                    if (read != 0)
                    {
                        var section = default(EmptySection);
                        ops.Read(ref section);
                    }
                    else
                    {
                        ops.EnterWrite();
                        writes++;
                        ops.ExitWrite();
                    }
                }
            }
            return writes;
        }
    }

    private readonly struct DictionaryBody(byte[] pattern, int rounds, Dictionary<int, int> table) : ILockBody
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see LockOps.cs: no tier-0 code is ever timed
        public long Run<TOps>(TOps ops)
            where TOps : struct, ILockOps
        {
            long sum = 0;
            var key = 0;
            for (var r = 0; r < rounds; r++)
            {
                foreach (var read in pattern)
                {
                    key = (key + 13) & (Keys - 1);
                    if (read != 0)
                    {
                        var section = new LookupSection(table, key);
                        ops.Read(ref section);
                        sum += section.Found;
                    }
                    else
                    {
                        ops.EnterWrite();
                        table[key] = r;
                        ops.ExitWrite();
                    }
                }
            }
            return sum;
        }
    }

    private struct EmptySection : IReadSection
    {
        public readonly void Run()
        {
        }
    }

    /// <summary>The Router's read: one lookup in the peer table.</summary>
    private struct LookupSection(Dictionary<int, int> table, int key) : IReadSection
    {
        public int Found;

        public void Run() => Found = table.TryGetValue(key, out var v) ? v : 0;
    }
}
