using RwHarness.Results;

namespace RwHarness.Reports.Tests;

public class GateTests
{
    private static RunResults Clean()
    {
        var r = new RunResults();
        r.Results.Add(Fixtures.Pass("counter-negation", "readers-share"));
        r.Mutants.Add(new MutantResult { Mutant = "no-readerwait", Caught = true, Scenario = "writer-excludes", Strategy = "dfs", Schedules = 3 });
        return r;
    }

    [Test]
    public void Passes_on_identical_inputs()
    {
        var report = Gate.Evaluate(BenchFixtures.Run(), BenchFixtures.Run(), Clean());
        Assert.That(report.Findings, Is.Empty);
        Assert.That(report.ExitCode, Is.Zero);
        Assert.That(report.Compared, Is.EqualTo(3 * (2 + 15)), "3 locks x 17 points, the baseline lock itself excluded");
    }

    [Test]
    public void Absolute_speed_does_not_matter_only_ratios()
    {
        // A machine twice as slow: every lock halves, ratios stay.
        var slower = BenchFixtures.Run(scale: (_, _, _, _) => 0.5);
        Assert.That(Gate.Evaluate(BenchFixtures.Run(), slower, null).ExitCode, Is.Zero);
    }

    [Test]
    public void Fails_on_a_30_percent_regression()
    {
        var current = BenchFixtures.Run(scale: (l, w, t, r) => l == "reader-queue" && w == "dictionary" && t == 4 && r == 90 ? 0.7 : 1.0);
        var report = Gate.Evaluate(BenchFixtures.Run(), current, Clean());
        Assert.That(report.ExitCode, Is.EqualTo(1));
        Assert.That(report.Findings, Has.Count.EqualTo(1));
        var f = report.Findings[0];
        Assert.That(f.Kind, Is.EqualTo("regression"));
        Assert.That(f.Message, Does.Contain("reader-queue").And.Contain("dictionary (4 threads, 90% reads)").And.Contain("ReaderWriterLockSlim"));
        // Both ratios: 1.7 x (0.9*0.8*4+0.3) / (0.9*0.8*4+0.3) = 1.7 in the baseline, 0.7 x that now.
        Assert.That(f.Message, Does.Contain("1.190 now vs 1.700 in the baseline"));
        Assert.That(f.Message.Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Baseline_getting_faster_is_a_regression_of_the_ratio()
    {
        var current = BenchFixtures.Run(scale: (l, w, _, _) => l == "ReaderWriterLockSlim" && w == "uncontended-read" ? 1.5 : 1.0);
        var report = Gate.Evaluate(BenchFixtures.Run(), current, null);
        Assert.That(report.Findings.Select(f => f.Message).ToList(), Has.Count.EqualTo(3).And.All.Contain("uncontended-read"));
    }

    [Test]
    public void Small_drop_within_threshold_passes()
    {
        var current = BenchFixtures.Run(scale: (l, _, _, _) => l == "reader-queue" ? 0.9 : 1.0);
        Assert.That(Gate.Evaluate(BenchFixtures.Run(), current, null).ExitCode, Is.Zero);
    }

    [Test]
    public void Does_not_fail_on_a_regression_within_wide_confidence_intervals()
    {
        // Same 30% drop, but the measurements are noisy: +-25% CIs explain it.
        var current = BenchFixtures.Run(ciFraction: 0.25, scale: (l, w, t, r) => l == "reader-queue" && w == "dictionary" && t == 4 && r == 90 ? 0.7 : 1.0);
        var report = Gate.Evaluate(BenchFixtures.Run(ciFraction: 0.25), current, null);
        Assert.That(report.Findings, Is.Empty);
        Assert.That(report.ExitCode, Is.Zero);
    }

    [Test]
    public void Threshold_is_a_parameter()
    {
        // 25% lower: beyond the default 15% even at the CI bounds, exactly at a 25% threshold (not below it).
        var current = BenchFixtures.Run(scale: (l, _, _, _) => l == "monitor" ? 0.75 : 1.0);
        Assert.That(Gate.Evaluate(BenchFixtures.Run(), current, null).ExitCode, Is.EqualTo(1));
        Assert.That(Gate.Evaluate(BenchFixtures.Run(), current, null, threshold: 0.25).ExitCode, Is.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gate.Evaluate(null, null, null, threshold: 1.5));
    }

    [Test]
    public void Fails_on_a_fail_verdict()
    {
        var results = Clean();
        var c = Fixtures.Pass("reader-queue", "writer-excludes");
        c.Verdict = Verdicts.Fail;
        c.Failure = Fixtures.Deadlock();
        results.Results.Add(c);
        var report = Gate.Evaluate(BenchFixtures.Run(), BenchFixtures.Run(), results);
        Assert.That(report.ExitCode, Is.EqualTo(1));
        Assert.That(report.Findings.Single().Kind, Is.EqualTo("verdict"));
        Assert.That(report.Findings.Single().Message, Does.Contain("reader-queue").And.Contain("writer-excludes").And.Contain("deadlock"));
    }

    [Test]
    public void Fails_on_a_stress_failure()
    {
        var results = Clean();
        results.Stress.Add(new StressResult { Lock = "x", Scenario = "y", Verdict = Verdicts.Fail, Message = "forbidden outcome" });
        Assert.That(Gate.Evaluate(null, null, results).Findings.Single().Kind, Is.EqualTo("stress"));
    }

    [Test]
    public void Fails_on_a_missed_mutant()
    {
        var results = Clean();
        results.Mutants.Add(new MutantResult { Mutant = "lost-wakeup", Description = "last reader forgets writerSem", Caught = false });
        var report = Gate.Evaluate(BenchFixtures.Run(), BenchFixtures.Run(), results);
        Assert.That(report.ExitCode, Is.EqualTo(1));
        Assert.That(report.Findings.Single().Kind, Is.EqualTo("mutant"));
        Assert.That(report.Findings.Single().Message, Does.Contain("lost-wakeup").And.Contain("1 of 2"));
    }

    [Test]
    public void Baseline_lock_name_is_a_parameter_and_the_rwls_adapter_is_an_alias()
    {
        static BenchResults Renamed(string name)
        {
            var b = BenchFixtures.Run();
            foreach (var r in b.Records.Where(r => r.Lock == "ReaderWriterLockSlim"))
            {
                r.Lock = name;
            }
            return b;
        }
        Assert.That(Gate.Evaluate(Renamed("rwls-norecursion"), Renamed("rwls-norecursion"), null).Compared, Is.EqualTo(51));
        Assert.That(Gate.Evaluate(Renamed("monitor-x"), Renamed("monitor-x"), null).Findings.Single().Kind, Is.EqualTo("baseline-missing"));
        Assert.That(Gate.Evaluate(BenchFixtures.Run(), BenchFixtures.Run(), null, baselineLock: "monitor").Compared, Is.EqualTo(51));
    }

    [Test]
    public void Report_prints_one_line_per_finding_and_a_summary()
    {
        var current = BenchFixtures.Run(scale: (l, w, t, r) => l == "counter-negation" && w == "dictionary" && t == 2 ? 0.6 : 1.0);
        var results = Clean();
        results.Mutants.Add(new MutantResult { Mutant = "m", Caught = false });
        var report = Gate.Evaluate(BenchFixtures.Run(), current, results);
        var w = new StringWriter();
        report.WriteTo(w);
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Count(l => l.StartsWith("FAIL ", StringComparison.Ordinal)), Is.EqualTo(5 + 1));
        Assert.That(lines[^1], Does.StartWith("gate: FAILED, 6 findings"));
    }

    private static BenchResults RegressedRun() =>
        BenchFixtures.Run(scale: (l, w, t, r) => l == "reader-queue" && w == "dictionary" && t == 4 && r == 90 ? 0.7 : 1.0);

    [Test]
    public void Recheck_drops_a_regression_that_does_not_repeat_in_a_fresh_process()
    {
        var report = Gate.Evaluate(BenchFixtures.Run(), RegressedRun(), Clean());
        Assert.That(report.Findings.Single().Cell!.Benchmarks, Is.EqualTo(new[] { "dictionary(reader-queue, 4, 90)", "dictionary(ReaderWriterLockSlim, 4, 90)" }));
        var asked = new List<IReadOnlyList<string>>();
        Gate.Recheck(report, cases =>
        {
            asked.Add(cases);
            return BenchFixtures.Run(); // the fresh process measures the baseline's ratio
        }, attempts: 2);
        Assert.That(asked, Has.Count.EqualTo(1), "cleared on the first re-measurement");
        Assert.That(report.Passed, Is.True);
        Assert.That(report.Notes, Has.Some.Contains("rechecked lock reader-queue, workload dictionary (4 threads, 90% reads): ratio 1.700 in a fresh process"));
    }

    [Test]
    public void Recheck_keeps_a_regression_that_repeats_and_adds_the_new_ratios()
    {
        var report = Gate.Evaluate(BenchFixtures.Run(), RegressedRun(), Clean());
        var calls = 0;
        Gate.Recheck(report, _ =>
        {
            calls++;
            return calls == 1 ? RegressedRun() : null; // regressed again, then the second run produced nothing
        }, attempts: 2);
        Assert.That(calls, Is.EqualTo(2));
        var f = report.Findings.Single();
        Assert.That(f.Kind, Is.EqualTo("regression"));
        Assert.That(f.Message, Does.EndWith("; confirmed in 2 fresh processes: 1.190, not measured"));
        Assert.That(report.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Recheck_leaves_verdicts_and_mutants_alone_and_zero_attempts_change_nothing()
    {
        var results = Clean();
        results.Mutants.Add(new MutantResult { Mutant = "m", Caught = false });
        var report = Gate.Evaluate(BenchFixtures.Run(), RegressedRun(), results);
        var before = report.Findings.Select(f => f.Message).ToList();
        Gate.Recheck(report, _ => throw new AssertionException("must not measure"), attempts: 0);
        Assert.That(report.Findings.Select(f => f.Message), Is.EqualTo(before));
        Gate.Recheck(report, _ => BenchFixtures.Run(), attempts: 1);
        Assert.That(report.Findings.Single().Kind, Is.EqualTo("mutant"));
    }
}
