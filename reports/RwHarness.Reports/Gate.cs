using System.Globalization;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>One reason the gate fails.</summary>
/// <param name="Kind"><c>regression</c>, <c>verdict</c>, <c>stress</c>, <c>mutant</c> or <c>baseline-missing</c>.</param>
/// <param name="Message">One line naming the lock, the workload and both ratios (or the case that failed).</param>
public sealed record GateFinding(string Kind, string Message)
{
    /// <summary>For a regression: the cell to measure again (see <see cref="Gate.Recheck"/>); null for other kinds.</summary>
    public RegressionCell? Cell { get; init; }

    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>
/// A regressed cell, with what a re-measurement needs: the two benchmark cases to run again (the lock's and the
/// baseline lock's at the same workload) and the baseline's ratio and worst case within its CIs.
/// </summary>
public sealed record RegressionCell(
    string Lock,
    (string Workload, int Threads, double ReadRatio) Key,
    string BaselineLock,
    double BaselineRatio,
    double BaselineWorst,
    IReadOnlyList<string> Benchmarks);

/// <summary>What the gate found. <see cref="ExitCode"/> is 0 when nothing was found, else 1.</summary>
public sealed class GateReport
{
    public List<GateFinding> Findings { get; } = [];

    /// <summary>Informational lines: what was compared, what could not be.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Ratios compared against the baseline.</summary>
    public int Compared { get; set; }

    public bool Passed => Findings.Count == 0;

    public int ExitCode => Passed ? 0 : 1;

    /// <summary>One line per finding, then the notes, then a summary line.</summary>
    public void WriteTo(TextWriter w)
    {
        foreach (var f in Findings)
        {
            w.WriteLine("FAIL " + f);
        }
        foreach (var n in Notes)
        {
            w.WriteLine("note: " + n);
        }
        w.WriteLine(Passed
            ? $"gate: passed ({Compared} ratios compared)"
            : $"gate: FAILED, {Findings.Count} finding{(Findings.Count == 1 ? "" : "s")} ({Compared} ratios compared)");
    }
}

/// <summary>
/// The CI regression gate. Throughput is compared as ratios, never absolute numbers: each lock's ops/s
/// divided by the baseline lock's (ReaderWriterLockSlim) ops/s measured in the same run, at the same
/// workload x threads x read ratio, against the same ratio in the baseline file. A ratio regresses when
/// it is below baseline x (1 - threshold) and the confidence intervals do not explain it: even the ratio
/// most favourable to the current run (current lock at the fast end of its CI, current RWLS at the slow
/// end; baseline lock at the slow end, baseline RWLS at the fast end) stays below that line.
/// The gate also fails on any <c>fail</c> verdict in results.json and on any mutant that was not caught.
/// </summary>
public static class Gate
{
    public const double DefaultThreshold = 0.15;

    public static GateReport Evaluate(
        BenchResults? baseline,
        BenchResults? current,
        RunResults? results,
        double threshold = DefaultThreshold,
        string baselineLock = BenchResults.DefaultBaseline)
    {
        if (threshold is < 0 or >= 1 || double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 1)");
        }
        var report = new GateReport();
        if (current is not null && baseline is not null)
        {
            CompareBench(report, baseline, current, threshold, baselineLock);
        }
        else if (current is not null)
        {
            report.Notes.Add("no baseline given: throughput not compared");
        }
        else if (baseline is not null)
        {
            report.Notes.Add("no bench.json in the results: throughput not compared");
        }
        if (results is not null)
        {
            CheckResults(report, results);
        }
        return report;
    }

    private static void CompareBench(GateReport report, BenchResults baseline, BenchResults current, double threshold, string baselineLock)
    {
        var curBase = current.ResolveBaseline(baselineLock);
        var oldBase = baseline.ResolveBaseline(baselineLock);
        if (curBase is null)
        {
            report.Findings.Add(new GateFinding("baseline-missing", $"the current bench results have no {baselineLock} records: ratios cannot be computed"));
            return;
        }
        if (oldBase is null)
        {
            report.Findings.Add(new GateFinding("baseline-missing", $"the baseline file has no {baselineLock} records: ratios cannot be compared"));
            return;
        }

        var oldIndex = Index(baseline.Records);
        var curIndex = Index(current.Records);
        var notMeasured = 0;
        foreach (var ((lockName, key), cur) in curIndex)
        {
            if (string.Equals(lockName, curBase, StringComparison.Ordinal))
            {
                continue;
            }
            if (!curIndex.TryGetValue((curBase, key), out var curRef) || curRef.OpsPerSec <= 0)
            {
                report.Notes.Add($"{lockName} {Describe(key)}: no {curBase} measurement in this run at this point, not compared");
                continue;
            }
            if (!oldIndex.TryGetValue((lockName, key), out var old) || !oldIndex.TryGetValue((oldBase, key), out var oldRef) || oldRef.OpsPerSec <= 0 || old.OpsPerSec <= 0)
            {
                notMeasured++;
                continue;
            }
            report.Compared++;
            var baseRatio = old.OpsPerSec / oldRef.OpsPerSec;
            var baseWorst = old.OpsPerSecLow / oldRef.OpsPerSecHigh;
            if (Regressed(cur, curRef, baseRatio, baseWorst, threshold, out var ratio, out var ratioBest))
            {
                var drop = 1 - ratio / baseRatio;
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"lock {lockName}, workload {Describe(key)}: ratio to {curBase} {ratio:0.000} now vs {baseRatio:0.000} in the baseline ({drop:P0} lower, threshold {threshold:P0}; best case within the CIs {ratioBest:0.000} vs {baseWorst:0.000})");
                report.Findings.Add(new GateFinding("regression", message)
                {
                    Cell = cur.Benchmark is { } b && curRef.Benchmark is { } rb
                        ? new RegressionCell(lockName, key, curBase, baseRatio, baseWorst, [b, rb])
                        : null,
                });
            }
        }
        if (notMeasured > 0)
        {
            report.Notes.Add($"{notMeasured} current measurement{(notMeasured == 1 ? "" : "s")} had no counterpart in the baseline, not compared");
        }
        var missing = oldIndex.Keys.Where(k => k.Lock != oldBase && !curIndex.ContainsKey(k)).Select(k => k.Lock).Distinct().ToList();
        if (missing.Count > 0)
        {
            report.Notes.Add($"in the baseline but not measured now: {string.Join(", ", missing)}");
        }
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"compared {report.Compared} ratios against {curBase}, threshold {threshold:P0}"));
    }

    /// <summary>
    /// Below baseline x (1 - threshold), and even the ratio most favourable to the current run (lock at the fast end
    /// of its CI, reference at the slow end) stays below the baseline's worst case x (1 - threshold).
    /// </summary>
    private static bool Regressed(BenchRecord cur, BenchRecord curRef, double baseRatio, double baseWorst, double threshold, out double ratio, out double ratioBest)
    {
        ratio = cur.OpsPerSec / curRef.OpsPerSec;
        ratioBest = cur.OpsPerSecHigh / curRef.OpsPerSecLow;
        return ratio < baseRatio * (1 - threshold) && ratioBest < baseWorst * (1 - threshold);
    }

    /// <summary>
    /// Measures each regressed cell again, up to <paramref name="attempts"/> times, with <paramref name="measure"/>
    /// (which runs the given benchmark cases in a fresh process and returns their results, or null if it could
    /// not). A 2-thread cell on a small VM can land in a different mode from one process to the next (the
    /// confidence intervals only cover the variation inside one process), so a regression that does not repeat
    /// in a fresh process is dropped, with a note; one that repeats every time stays, with the re-measured ratios
    /// added. Findings without a cell (verdicts, mutants) are left alone.
    /// </summary>
    public static void Recheck(GateReport report, Func<IReadOnlyList<string>, BenchResults?> measure, int attempts, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        for (var i = 0; i < report.Findings.Count && attempts > 0; i++)
        {
            if (report.Findings[i] is not { Cell: { } cell } finding)
            {
                continue;
            }
            var seen = new List<string>();
            string? cleared = null;
            for (var a = 1; a <= attempts && cleared is null; a++)
            {
                var again = measure(cell.Benchmarks);
                var cur = again?.Records.FirstOrDefault(r => r.Lock == cell.Lock && r.Key == cell.Key);
                var curRef = again?.Records.FirstOrDefault(r => r.Lock == cell.BaselineLock && r.Key == cell.Key);
                if (cur is null || curRef is null || curRef.OpsPerSec <= 0)
                {
                    seen.Add("not measured");
                    continue;
                }
                if (Regressed(cur, curRef, cell.BaselineRatio, cell.BaselineWorst, threshold, out var ratio, out _))
                {
                    seen.Add(ratio.ToString("0.000", CultureInfo.InvariantCulture));
                    continue;
                }
                cleared = string.Create(CultureInfo.InvariantCulture,
                    $"rechecked lock {cell.Lock}, workload {Describe(cell.Key)}: ratio {ratio:0.000} in a fresh process (re-measurement {a}), within the threshold of the baseline's {cell.BaselineRatio:0.000}; the first measurement was noise between processes, not a regression");
            }
            if (cleared is not null)
            {
                report.Findings.RemoveAt(i--);
                report.Notes.Add(cleared);
            }
            else
            {
                report.Findings[i] = finding with
                {
                    Message = finding.Message + $"; confirmed in {attempts} fresh process{(attempts == 1 ? "" : "es")}: {string.Join(", ", seen)}",
                };
            }
        }
    }

    private static Dictionary<(string Lock, (string, int, double) Key), BenchRecord> Index(IEnumerable<BenchRecord> records)
    {
        var d = new Dictionary<(string, (string, int, double)), BenchRecord>();
        foreach (var r in records)
        {
            d.TryAdd((r.Lock, r.Key), r);
        }
        return d;
    }

    internal static string Describe((string Workload, int Threads, double ReadRatio) key) =>
        string.Create(CultureInfo.InvariantCulture, $"{key.Workload} ({key.Threads} thread{(key.Threads == 1 ? "" : "s")}, {key.ReadRatio:0.##}% reads)");

    private static void CheckResults(GateReport report, RunResults results)
    {
        foreach (var c in results.Results.Where(c => c.Verdict == Verdicts.Fail))
        {
            var why = c.Failure is { } f ? $"{f.Kind}: {OneLine(f.Message)}" : OneLine(c.Note ?? "failed");
            report.Findings.Add(new GateFinding("verdict", $"lock {c.Lock}, scenario {c.Scenario} [{c.Engine}/{c.Strategy}] failed: {why}"));
        }
        foreach (var s in results.Stress.Where(s => s.Verdict == Verdicts.Fail))
        {
            report.Findings.Add(new GateFinding("stress", $"lock {s.Lock}, scenario {s.Scenario} ({s.Threads} threads) failed under stress: {OneLine(s.Message ?? "forbidden outcome seen")}"));
        }
        if (results.Mutants.Count > 0)
        {
            var caught = results.Mutants.Count(m => m.Caught);
            foreach (var m in results.Mutants.Where(m => !m.Caught))
            {
                report.Findings.Add(new GateFinding("mutant", $"mutant {m.Mutant} [{m.Engine}] was not caught ({OneLine(m.Description)}); mutation score {caught} of {results.Mutants.Count}"));
            }
            report.Notes.Add($"mutation score: caught {caught} of {results.Mutants.Count}");
        }
        report.Notes.Add($"{results.Results.Count} systematic cases, {results.Stress.Count} stress runs checked");
    }

    private static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}
