using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using RwHarness.Coyote;
using RwHarness.Engine;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios.Catalog;

namespace RwHarness.Benchmarks;

/// <summary>
/// The engines' own speed, in the same run as the locks: the native engine and the Coyote backend explore
/// the same program, the mutual-exclusion scenario with 2 readers + 1 writer doing 3 rounds each (about 45
/// scheduling points per execution) on the counter-negation lock, with the random strategy and a fixed seed.
/// One invocation explores <see cref="Iterations"/> executions; BenchmarkDotNet's mean is time per
/// execution, so 1e9 / mean is iterations per second. Steps per iteration are counted once in
/// <see cref="Setup"/> (both engines are deterministic for a seed) and give steps per second.
/// </summary>
public class EngineBenchmarks
{
    public const int Iterations = 100;
    public const int Readers = 2;
    public const int Writers = 1;
    public const int Rounds = 3;
    public const string LockName = "counter-negation";

    /// <summary>Steps per iteration by benchmark method, filled by <see cref="Setup"/> (read by <see cref="BenchSuite"/>).</summary>
    internal static readonly ConcurrentDictionary<string, double> StepsPerIteration = new(StringComparer.Ordinal);

    private Scenario scenario = null!;
    private LockDescriptor lockDescriptor = null!;

    [GlobalSetup]
    public void Setup()
    {
        scenario = new MutualExclusion(Readers, Writers, Rounds);
        lockDescriptor = ShippedLocks.Find(LockName) ?? throw new InvalidOperationException($"lock {LockName} is missing");
        Record(nameof(NativeEngine), RunNative());
        Record(nameof(CoyoteEngine), RunCoyote());
    }

    private static void Record(string method, CaseResult r)
    {
        if (r.Verdict != Verdicts.Pass || r.Iterations <= 0)
        {
            throw new InvalidOperationException($"{method}: {r.Lock} x {r.Scenario} did not pass ({r.Verdict}, {r.Iterations} iterations): {r.Failure?.Message}");
        }
        StepsPerIteration[method] = (double)r.Steps / r.Iterations;
    }

    [Benchmark(OperationsPerInvoke = Iterations)]
    public long NativeEngine() => RunNative().Steps;

    [Benchmark(OperationsPerInvoke = Iterations)]
    public long CoyoteEngine() => RunCoyote().Steps;

    private CaseResult RunNative() =>
        Explorer.Check(scenario, lockDescriptor, new CheckOptions { Strategy = "random", Iterations = Iterations, Seed = 1, Parallel = 1 })
        ?? throw new InvalidOperationException($"{scenario.Name} does not apply to {LockName}");

    private CaseResult RunCoyote() =>
        CoyoteRunner.Run(scenario, lockDescriptor, new CoyoteOptions { Strategy = CoyoteStrategies.Random, Iterations = Iterations, Seed = 1 });
}
