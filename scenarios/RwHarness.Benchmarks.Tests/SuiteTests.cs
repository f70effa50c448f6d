using NUnit.Framework;
using RwHarness.Locks.Catalog;
using RwHarness.Reports;

namespace RwHarness.Benchmarks.Tests;

public sealed class SuiteTests
{
    private const string Export = """
        {
          "Title": "RwHarness.Benchmarks.ThroughputBenchmarks-20250101-000000",
          "Benchmarks": [
            {
              "Namespace": "RwHarness.Benchmarks", "Type": "ThroughputBenchmarks", "Method": "Empty",
              "Parameters": "Threads=2&ReadPercent=99&Lock=bravo",
              "FullName": "RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads: 2, ReadPercent: 99, Lock: \"bravo\")",
              "Statistics": { "Mean": 4.0, "Median": 3.8, "ConfidenceInterval": { "Level": 12, "Lower": 3.5, "Upper": 4.5 } },
              "Memory": { "BytesAllocatedPerOperation": 0 }
            },
            {
              "Namespace": "RwHarness.Benchmarks", "Type": "UncontendedBenchmarks", "Method": "WritePair",
              "Parameters": "Lock=ReaderWriterLockSlim", "FullName": "x",
              "Statistics": { "Mean": 20.0, "ConfidenceInterval": { "Lower": 19.0, "Upper": 21.0 } },
              "Memory": { "BytesAllocatedPerOperation": 0 }
            },
            {
              "Namespace": "RwHarness.Benchmarks", "Type": "EngineBenchmarks", "Method": "NativeEngine", "Parameters": "", "FullName": "y",
              "Statistics": { "Mean": 100000.0, "ConfidenceInterval": { "Lower": 90000.0, "Upper": 110000.0 } },
              "Memory": { "BytesAllocatedPerOperation": 4000 }
            },
            {
              "Namespace": "RwHarness.Benchmarks", "Type": "CounterBaselines", "Method": "PaddedCounters", "Parameters": "Threads=4", "FullName": "z",
              "Statistics": { "Mean": 2.0, "ConfidenceInterval": { "Lower": 1.9, "Upper": 2.1 } }
            },
            { "Namespace": "RwHarness.Benchmarks", "Type": "ThroughputBenchmarks", "Method": "Dictionary", "Parameters": "Threads=1&ReadPercent=0&Lock=bravo", "FullName": "failed" }
          ]
        }
        """;

    private static List<BenchRecord> Convert(List<string>? skipped = null)
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"export-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, Export);
        try
        {
            return BdnJson.Convert([file], new Dictionary<string, double> { ["NativeEngine"] = 40 }, skipped);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Benchmark_cases_become_lock_workload_threads_ratio_records()
    {
        var skipped = new List<string>();
        var records = Convert(skipped);
        var bravo = records.Single(r => r.Lock == "bravo");
        Assert.Multiple(() =>
        {
            Assert.That((bravo.Workload, bravo.Threads, bravo.ReadRatio), Is.EqualTo(("empty", 2, 99.0)));
            Assert.That(bravo.OpsPerSec, Is.EqualTo(250e6).Within(1));
            Assert.That((bravo.MeanNs, bravo.CiLowerNs, bravo.CiUpperNs), Is.EqualTo((4.0, 3.5, 4.5)));
            Assert.That(bravo.MedianNs, Is.EqualTo(3.8));
            Assert.That(records.Single(r => r.Lock == "ReaderWriterLockSlim").MedianNs, Is.Null, "no Median in the export: unknown, not 0");
            Assert.That(records.Single(r => r.Lock == "ReaderWriterLockSlim").Workload, Is.EqualTo("uncontended-write"));
            Assert.That(records.Single(r => r.Lock == "padded-counters").Key, Is.EqualTo(("empty", 4, 100.0)));
            Assert.That(skipped, Is.EqualTo(new[] { "failed" }), "a case without statistics is skipped and named");
        });
    }

    [Test]
    public void Engine_cases_give_iterations_and_steps_per_second()
    {
        var records = Convert();
        var it = records.Single(r => r.Lock == "native-engine" && r.Workload == "engine-iterations");
        var steps = records.Single(r => r.Lock == "native-engine" && r.Workload == "engine-steps");
        Assert.Multiple(() =>
        {
            Assert.That(it.OpsPerSec, Is.EqualTo(10_000).Within(0.01));
            Assert.That(steps.OpsPerSec, Is.EqualTo(400_000).Within(0.1));
            Assert.That(steps.CiUpperNs, Is.EqualTo(110000.0 / 40));
            Assert.That(steps.AllocatedBytesPerOp, Is.EqualTo(100));
        });
    }

    [TestCase("*", "RwHarness.Benchmarks.UncontendedBenchmarks.ReadPair(Lock=bravo)", true)]
    [TestCase("*Throughput*(Threads=2, ReadPercent=99, Lock=bravo)", "RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads=2, ReadPercent=99, Lock=bravo)", true)]
    [TestCase("*throughput*", "RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads=2, ReadPercent=99, Lock=bravo)", true)]
    [TestCase("*Uncontended*", "RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads=2, ReadPercent=99, Lock=bravo)", false)]
    [TestCase("*Lock=bravo?", "RwHarness.Benchmarks.UncontendedBenchmarks.ReadPair(Lock=bravo)", true)]
    public void Filters_are_case_insensitive_globs(string glob, string name, bool expected) =>
        Assert.That(BenchSuite.Matches([glob], name), Is.EqualTo(expected));

    [Test]
    public void Every_filter_name_is_unique_and_every_shipped_lock_is_benchmarked()
    {
        var names = BenchSuite.List(["*"]);
        Assert.That(names, Is.Unique);
        Assert.That(names, Has.Some.StartsWith("RwHarness.Benchmarks.EngineBenchmarks.CoyoteEngine"));
        foreach (var d in ShippedLocks.All)
        {
            Assert.That(names, Has.Some.EndsWith($"Lock={d.Name})"), $"shipped lock {d.Name} has no benchmark");
            Assert.That(BenchSuite.List([$"*Throughput*.Empty(Threads=2, ReadPercent=*, Lock={d.Name})"]), Has.Count.EqualTo(5));
        }
    }

    [Test]
    public void A_debug_build_is_told_apart_from_a_release_build() =>
        // The test assembly itself is built in whatever configuration `dotnet test` uses; the check must agree with it.
#if DEBUG
        Assert.That(BenchSuite.IsOptimized(typeof(SuiteTests).Assembly), Is.False);
#else
        Assert.That(BenchSuite.IsOptimized(typeof(SuiteTests).Assembly), Is.True);
#endif

    [Test]
    public void Speed_targets_are_judged_on_ratios_of_one_run()
    {
        BenchRecord R(string l, string w, int t, double ratio, double ns, double? median = null) =>
            new() { Lock = l, Workload = w, Threads = t, ReadRatio = ratio, MeanNs = ns, OpsPerSec = 1e9 / ns, MedianNs = median };
        var bench = new BenchResults
        {
            Records =
            [
                R("counter-negation", "uncontended-read", 1, 100, 5.2), R("interlocked", "uncontended-read", 1, 100, 5.0),
                R("ReaderWriterLockSlim", "uncontended-read", 1, 100, 17), R("counter-negation", "uncontended-write", 1, 0, 12),
                R("bravo", "empty", 2, 100, 2.0), R("padded-counters", "empty", 2, 100, 1.5), R("counter-negation", "empty", 2, 100, 14),
                // A slow phase covered some of bravo's iterations: its mean says 0.9x RWLS, its median 1.25x.
                R("bravo", "dictionary", 2, 90, 40, median: 24), R("ReaderWriterLockSlim", "dictionary", 2, 90, 36, median: 30),
                // The recursion adapter is judged against ReaderWriterLockSlim in its own policy, which is slower here.
                R("rwls-recursion", "dictionary", 2, 90, 50), R("ReaderWriterLockSlim-recursion", "dictionary", 2, 90, 49),
            ],
        };
        var t = SpeedTargets.Evaluate(bench);
        Assert.Multiple(() =>
        {
            Assert.That(t.Single(x => x.Name.Contains("raw Interlocked", StringComparison.Ordinal)).Met, Is.True);
            Assert.That(t.Single(x => x.Name.Contains("ReaderWriterLockSlim read pair", StringComparison.Ordinal)).Met, Is.True);
            Assert.That(t.Single(x => x.Name.Contains("write pair vs Go's", StringComparison.Ordinal)).Met, Is.False, "12 ns is above 1.1 x Go's 10 ns");
            Assert.That(t.Single(x => x.Name.Contains("write pair vs four atomics", StringComparison.Ordinal)).Measured, Is.EqualTo(12 / 10.0).Within(1e-9), "12 ns over two 5 ns raw pairs");
            Assert.That(t.Single(x => x.Name.Contains("ReaderWriterLockSlim read pair", StringComparison.Ordinal)).Ceiling, Does.Contain("3.40x"), "17 ns RWLS over the 5 ns raw pair");
            Assert.That(t.Single(x => x.Name.Contains("padded-counters", StringComparison.Ordinal)).Measured, Is.EqualTo(2.0 / 1.5).Within(1e-9));
            Assert.That(t.Single(x => x.Name.StartsWith("bravo vs counter-negation", StringComparison.Ordinal)).Met, Is.True);
            Assert.That(t.Where(x => x.Name.Contains("2 threads, 99%", StringComparison.Ordinal)).Select(x => x.Met), Has.All.Null, "not measured");
            var phased = t.Single(x => x.Name == "bravo vs ReaderWriterLockSlim, 2 threads, 90% reads, dictionary (speed-up)");
            Assert.That(phased.Measured, Is.EqualTo(0.9).Within(1e-9));
            Assert.That(phased.Met, Is.False, "judged on the means");
            Assert.That(phased.ByMedians, Is.EqualTo(1.25).Within(1e-9));
            Assert.That(t.Single(x => x.Name.StartsWith("bravo vs counter-negation", StringComparison.Ordinal)).ByMedians, Is.NaN, "no medians recorded");
            var adapter = t.Single(x => x.Name == "rwls-recursion vs ReaderWriterLockSlim-recursion, 2 threads, 90% reads, dictionary (speed-up)");
            Assert.That(adapter.Measured, Is.EqualTo(49 / 50.0).Within(1e-9));
            Assert.That(adapter.Met, Is.True, "0.98x of what it wraps, though 0.72x ReaderWriterLockSlim without recursion");
            var md = SpeedTargets.Markdown(t, bench);
            Assert.That(md, Does.Contain("| target | measured (means) | by medians | bound | met | what this machine allows |"));
            Assert.That(md, Does.Contain("| 0.90x | 1.25x | >= 1x | **no** |"));
        });
    }
}

public sealed class BenchPageTests
{
    [Test]
    public void Engine_records_get_their_own_table_and_are_not_flagged_as_allocating()
    {
        var bench = new BenchResults
        {
            Records =
            [
                new BenchRecord { Lock = "ReaderWriterLockSlim", Workload = "empty", Threads = 2, ReadRatio = 99, OpsPerSec = 30e6, MeanNs = 33 },
                new BenchRecord { Lock = "counter-negation", Workload = "empty", Threads = 2, ReadRatio = 99, OpsPerSec = 90e6, MeanNs = 11 },
                new BenchRecord { Lock = "native-engine", Workload = "engine-iterations", Threads = 1, ReadRatio = BdnJson.EngineReadRatio, OpsPerSec = 9000, MeanNs = 111_111, AllocatedBytesPerOp = 3800 },
                new BenchRecord { Lock = "coyote-engine", Workload = "engine-iterations", Threads = 1, ReadRatio = BdnJson.EngineReadRatio, OpsPerSec = 160, MeanNs = 6_250_000, AllocatedBytesPerOp = 89000 },
            ],
        };
        var html = BenchReport.Render(bench);
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("id=\"engines\""));
            Assert.That(html, Does.Contain("No lock measurement allocates"));
            Assert.That(html, Does.Not.Contain("class=\"alloc\""));
            Assert.That(html, Does.Not.Contain("data-workload=\"engine-iterations\""), "no lock chart for the engines");
            Assert.That(html, Does.Contain("3.00×"), "counter-negation / RWLS");
        });
    }
}
