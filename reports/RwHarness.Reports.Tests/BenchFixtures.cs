using RwHarness.Results;

namespace RwHarness.Reports.Tests;

internal static class BenchFixtures
{
    public static readonly string[] Locks = ["ReaderWriterLockSlim", "counter-negation", "reader-queue", "monitor"];

    /// <summary>
    /// A plausible run: uncontended pairs at 1 thread, and the dictionary workload at 1/2/4 threads x 100/99/90/50/0% reads.
    /// CIs are +-<paramref name="ciFraction"/> of the mean.
    /// </summary>
    public static BenchResults Run(double ciFraction = 0.02, Func<string, string, int, double, double>? scale = null)
    {
        var b = new BenchResults
        {
            Run = new RunInfo
            {
                CommandLine = "rwharness bench --quick --report out/bench",
                StartedUtc = new DateTimeOffset(2025, 11, 3, 10, 0, 0, TimeSpan.Zero),
                ElapsedMs = 250_000,
                Machine = new MachineInfo { Cores = 2, Os = "Debian GNU/Linux 13", Dotnet = ".NET 10.0.0" },
            },
        };
        var speed = new Dictionary<string, double> { ["ReaderWriterLockSlim"] = 1.0, ["counter-negation"] = 2.1, ["reader-queue"] = 1.7, ["monitor"] = 1.4 };
        foreach (var l in Locks)
        {
            Add(b, l, "uncontended-read", 1, 100, 60e6 * speed[l], ciFraction, scale);
            Add(b, l, "uncontended-write", 1, 0, 45e6 * speed[l], ciFraction, scale);
            foreach (var t in new[] { 1, 2, 4 })
            {
                foreach (var ratio in new[] { 100.0, 99, 90, 50, 0 })
                {
                    var contention = l == "monitor" ? 1.0 / t : (ratio / 100.0 * 0.8 * t) + 0.3;
                    Add(b, l, "dictionary", t, ratio, 20e6 * speed[l] * contention, ciFraction, scale);
                }
            }
        }
        return b;
    }

    private static void Add(BenchResults b, string l, string workload, int threads, double ratio, double ops, double ci, Func<string, string, int, double, double>? scale)
    {
        ops *= scale?.Invoke(l, workload, threads, ratio) ?? 1.0;
        var mean = threads * 1e9 / ops;
        b.Records.Add(new BenchRecord
        {
            Lock = l,
            Workload = workload,
            Threads = threads,
            ReadRatio = ratio,
            OpsPerSec = ops,
            MeanNs = mean,
            CiLowerNs = mean * (1 - ci),
            CiUpperNs = mean * (1 + ci),
            AllocatedBytesPerOp = 0,
            Benchmark = $"{workload}({l}, {threads}, {ratio})",
        });
    }
}
