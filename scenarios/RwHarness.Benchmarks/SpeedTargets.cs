using System.Globalization;
using System.Text;
using RwHarness.Reports;

namespace RwHarness.Benchmarks;

/// <summary>One of issue 3's speed targets, judged on ratios measured in one run.</summary>
/// <param name="Name">What is compared.</param>
/// <param name="Measured">The measured ratio (or ns for absolute targets); NaN when a side was not measured.</param>
/// <param name="Target">The bound, e.g. "<= 1.10x".</param>
/// <param name="Met">Whether the bound holds; null when not measured.</param>
/// <param name="Ceiling">
/// For a target whose literal bound was set on another machine: the best any lock of that design could
/// measure in this same run (e.g. a read pair of two atomic instructions can never beat the raw Interlocked
/// pair), so a reader can tell "missed because the lock is slow" from "missed because this machine's
/// ratios differ". Empty when the bound is already a ratio within this run.
/// </param>
/// <param name="ByMedians">
/// The same ratio from the iterations' medians instead of BenchmarkDotNet's means (NaN when not computed): on a
/// machine whose speed changes in phases of seconds, a mean depends on how many iterations a slow phase covered.
/// Shown beside the measured value; the target is judged on the means.
/// </param>
public sealed record SpeedTarget(string Name, double Measured, string Unit, string Target, bool? Met, string Ceiling = "", double ByMedians = double.NaN)
{
    public override string ToString() =>
        $"target {(Met switch { true => "met    ", false => "MISSED ", null => "n/a    " })} {Name}: {(double.IsNaN(Measured) ? "not measured" : Measured.ToString("0.00", CultureInfo.InvariantCulture) + Unit)} (target {Target}){(Ceiling.Length == 0 ? "" : "; " + Ceiling)}";
}

/// <summary>Issue 3's speed targets ("Speed, proven by BenchmarkDotNet"), evaluated on one run's bench.json.</summary>
public static class SpeedTargets
{
    /// <summary>Go's uncontended sync.RWMutex Lock + Unlock on this machine class, ns (issue 3).</summary>
    public const double GoWritePairNs = 10.0;

    public static List<SpeedTarget> Evaluate(BenchResults bench)
    {
        ArgumentNullException.ThrowIfNull(bench);
        BenchRecord? R(string l, string w, int t, double ratio) =>
            bench.Records.FirstOrDefault(r => r.Lock == l && r.Workload == w && r.Threads == t && Math.Abs(r.ReadRatio - ratio) < 1e-9);
        double Ratio(BenchRecord? a, BenchRecord? b) => a is null || b is null || a.OpsPerSec <= 0 || b.OpsPerSec <= 0 ? double.NaN : a.OpsPerSec / b.OpsPerSec;
        static bool? Check(double v, Func<double, bool> ok) => double.IsNaN(v) ? null : ok(v);
        // Speed-up of a over b from the medians (time b / time a).
        static double MedianRatio(BenchRecord? a, BenchRecord? b) =>
            a?.MedianNs is double ma && ma > 0 && b?.MedianNs is double mb && mb > 0 ? mb / ma : double.NaN;

        const string cn = LockUnderTest.CounterNegation, rwls = LockUnderTest.Rwls;
        var list = new List<SpeedTarget>();

        var cnRead = R(cn, "uncontended-read", 1, 100);
        var slowdown = 1 / Ratio(cnRead, R(LockUnderTest.Interlocked, "uncontended-read", 1, 100));
        list.Add(new SpeedTarget("counter-negation read pair vs raw Interlocked increment+decrement pair (time ratio)", slowdown, "x", "<= 1.10x", Check(slowdown, v => v <= 1.10)));
        var rawRead = R(LockUnderTest.Interlocked, "uncontended-read", 1, 100);
        var vsRwls = Ratio(cnRead, R(rwls, "uncontended-read", 1, 100));
        var rawVsRwls = Ratio(rawRead, R(rwls, "uncontended-read", 1, 100));
        list.Add(new SpeedTarget("counter-negation read pair vs ReaderWriterLockSlim read pair (speed-up)", vsRwls, "x", ">= 3x", Check(vsRwls, v => v >= 3),
            Ceiling(rawVsRwls, "the raw Interlocked pair (two atomics, which any counter read pair needs) vs ReaderWriterLockSlim")));
        var cnWrite = R(cn, "uncontended-write", 1, 0);
        var writeNs = cnWrite?.MeanNs ?? double.NaN;
        list.Add(new SpeedTarget($"counter-negation write pair vs Go's {GoWritePairNs:0} ns", writeNs, " ns", $"<= {GoWritePairNs * 1.1:0} ns (1.1x Go)", Check(writeNs, v => v <= GoWritePairNs * 1.1),
            rawRead is null ? "" : string.Create(CultureInfo.InvariantCulture, $"Go's Lock + Unlock is four atomic instructions (CAS w.state, add readerCount twice, add w.state); two raw Interlocked pairs cost {2 * rawRead.MeanNs:0.0} ns in this run")));
        // The same bound restated on this run's own floor: Go's write pair costs four atomics, i.e. two raw pairs.
        var writeVsFour = rawRead is null ? double.NaN : writeNs / (2 * rawRead.MeanNs);
        list.Add(new SpeedTarget("counter-negation write pair vs four atomics (what Go's Lock + Unlock executes: twice the Interlocked pair) (time ratio)", writeVsFour, "x", "<= 1.10x", Check(writeVsFour, v => v <= 1.10)));

        string[] shipped = [cn, LockUnderTest.ReaderQueue, LockUnderTest.Bravo, LockUnderTest.RwlsNoRecursion, LockUnderTest.RwlsRecursion];
        foreach (var w in new[] { "empty", "dictionary" })
        {
            foreach (var ratio in new[] { 99.0, 90.0 })
            {
                foreach (var l in shipped)
                {
                    // The RWLS adapters are ReaderWriterLockSlim plus one branch: equal within the noise is the best they
                    // can do, against ReaderWriterLockSlim in the same recursion policy (SupportsRecursion does more work).
                    var adapter = l.StartsWith("rwls-", StringComparison.Ordinal);
                    var reference = l == LockUnderTest.RwlsRecursion ? LockUnderTest.RwlsSupportsRecursion : rwls;
                    var (mine, theirs) = (R(l, w, 2, ratio), R(reference, w, 2, ratio));
                    var v = Ratio(mine, theirs);
                    list.Add(new SpeedTarget($"{l} vs {reference}, 2 threads, {ratio:0}% reads, {w} (speed-up)", v, "x",
                        adapter ? ">= 0.95x (it is RWLS)" : ">= 1x", Check(v, x => x >= (adapter ? 0.95 : 1.0)), ByMedians: MedianRatio(mine, theirs)));
                }
            }
        }

        var bravo = R(LockUnderTest.Bravo, "empty", 2, 100);
        var padded = R("padded-counters", "empty", 2, 100);
        var limit = 1 / Ratio(bravo, padded);
        list.Add(new SpeedTarget("bravo, 2 threads, 100% reads: padded-counters limit vs bravo (time ratio)", limit, "x", "<= 1.5x", Check(limit, v => v <= 1.5), ByMedians: 1 / MedianRatio(bravo, padded)));
        var cn2 = R(cn, "empty", 2, 100);
        var vsCn = Ratio(bravo, cn2);
        // No ceiling from the counter floors here: BRAVO's read path has no atomic (a plain store into the
        // reader's own slot and out), the padded counters' two, so BRAVO can run faster than the padded-counters limit.
        list.Add(new SpeedTarget("bravo vs counter-negation, 2 threads, 100% reads (speed-up)", vsCn, "x", ">= 5x", Check(vsCn, v => v >= 5), ByMedians: MedianRatio(bravo, cn2)));
        return list;
    }

    private static string Ceiling(double ratio, string what) =>
        double.IsNaN(ratio) ? "" : string.Create(CultureInfo.InvariantCulture, $"ceiling in this run: {ratio:0.00}x, {what}");

    /// <summary>The targets as a Markdown table (for docs/benchmarks.md).</summary>
    public static string Markdown(IReadOnlyList<SpeedTarget> targets, BenchResults bench)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(bench);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Run {bench.Run.StartedUtc:yyyy-MM-dd HH:mm} UTC, {bench.Run.Machine.Cores} cores, load average {bench.LoadAverage ?? "unknown"}; `{bench.Run.CommandLine}`\n\n");
        sb.Append("| target | measured (means) | by medians | bound | met | what this machine allows |\n|---|---:|---:|---|---|---|\n");
        foreach (var t in targets)
        {
            var m = double.IsNaN(t.Measured) ? "—" : t.Measured.ToString("0.00", CultureInfo.InvariantCulture) + t.Unit;
            var med = double.IsNaN(t.ByMedians) ? "" : t.ByMedians.ToString("0.00", CultureInfo.InvariantCulture) + t.Unit;
            sb.Append(CultureInfo.InvariantCulture, $"| {t.Name} | {m} | {med} | {t.Target} | {(t.Met switch { true => "yes", false => "**no**", null => "n/a" })} | {t.Ceiling} |\n");
        }
        sb.Append("\nJudged on BenchmarkDotNet's means. The medians of the measured iterations are shown beside them because on\n")
          .Append("a VM a slow phase lasting seconds can cover part of a cell's iterations and move its mean.\n");
        return sb.ToString();
    }
}
