using NUnit.Framework;
using RwHarness.Locks.Catalog;
using RwHarness.Results;
using RwHarness.Scenarios.Mutants;
using RwHarness.Scenarios.Stress;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// Stress mode on real threads: shipped locks never overlap, a broken lock does, the writer-preference
/// bound is measured, and a stuck run is reported by the watchdog instead of hanging.
/// </summary>
[TestFixture]
public sealed class StressTests
{
    private static readonly StressOptions Short = new() { Duration = TimeSpan.FromMilliseconds(150), Threads = 4, StuckAfter = TimeSpan.FromSeconds(10) };

    public static IEnumerable<TestCaseData> ShippedCases() =>
        from l in ShippedLocks.All
        from s in new[] { "mutual-exclusion", "go-hammer-r3-n1", "go-parallel-readers-3" }
        where StressRunner.Applies(ScenarioCatalog.Find(s)!, l)
        select new TestCaseData(l.Name, s).SetName($"stress: {l.Name} x {s}");

    [TestCaseSource(nameof(ShippedCases))]
    public void ShippedLockNeverOverlapsOnRealThreads(string lockName, string scenarioName)
    {
        var r = StressRunner.Run(ShippedLocks.Find(lockName)!, ScenarioCatalog.Find(scenarioName)!, Short);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Message);
        Assert.That(r.Overlaps, Is.Zero);
        Assert.That(r.Rounds, Is.GreaterThan(0));
        Assert.That(r.Outcomes.Sum(o => o.Count), Is.EqualTo(r.Rounds));
        Assert.That(r.Outcomes.Where(o => o.Grade == Grades.Forbidden), Is.Empty);
        if (scenarioName.StartsWith("go-parallel-readers-", StringComparison.Ordinal))
        {
            Assert.That(r.MaxReadersTogether, Is.EqualTo(3), "Go's TestParallelReaders needs every reader inside at once");
        }
    }

    [TestCase("rwls-norecursion")]
    [TestCase("bravo")]
    [TestCase("counter-negation")]
    public void WriterPreferenceBoundIsMeasured(string lockName)
    {
        var r = StressRunner.MeasureWriterPreference(ShippedLocks.Find(lockName)!, Short with { Duration = TimeSpan.FromMilliseconds(200) });
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Message);
        Assert.That(r.Overlaps, Is.Zero);
        Assert.That(r.Rounds, Is.GreaterThan(0), "at least one write completed");
        Assert.That(r.Message, Does.Match(@"at most \d+ reader\(s\) entered after a writer started waiting"));
    }

    [Test]
    public void ABrokenLockOverlapsOnRealThreads()
    {
        // The writer that does not wait for departing readers enters beside them; bounded attempts, no timing asserted.
        var mutant = MutantCatalog.Find("mutant-cn-writer-skips-reader-wait")!;
        var scenario = ScenarioCatalog.Find("go-hammer-r3-n1")!;
        StressResult? r = null;
        for (var attempt = 0; attempt < 10 && (r is null || r.Overlaps == 0); attempt++)
        {
            r = StressRunner.Run(mutant, scenario, Short with { Duration = TimeSpan.FromMilliseconds(300) });
        }
        Assert.That(r!.Overlaps, Is.GreaterThan(0), "no overlap in 10 attempts");
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Outcomes.Any(o => o.Grade == Grades.Forbidden && o.Count > 0));
    }

    [Test]
    public void AStuckRunIsReportedNotHung()
    {
        // Unlock wakes one reader too few: a reader that blocked behind the writer sleeps forever.
        var mutant = MutantCatalog.Find("mutant-cn-wake-one-short")!;
        var scenario = ScenarioCatalog.Find("go-hammer-r3-n1")!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        StressResult? r = null;
        for (var attempt = 0; attempt < 5 && (r is null || r.Verdict == Verdicts.Pass); attempt++)
        {
            r = StressRunner.Run(mutant, scenario, Short with { Duration = TimeSpan.FromSeconds(1), StuckAfter = TimeSpan.FromMilliseconds(300) });
        }
        Assert.That(r!.Verdict, Is.EqualTo(Verdicts.Fail), "the lost wake-up never showed in 5 attempts");
        Assert.That(r.Message, Does.StartWith("stuck: round"));
        Assert.That(r.Outcomes.Single(o => o.Outcome == "stuck (watchdog)").Grade, Is.EqualTo(Grades.Forbidden));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void OnlyRealThreadScenariosAreStressable()
    {
        var names = StressRunner.DefaultScenarios(ScenarioCatalog.Default, 4).Select(s => s.Name).ToList();
        Assert.That(names, Does.Contain("mutual-exclusion").And.Contain("go-hammer-r3-n20").And.Contain("go-parallel-readers-3"));
        Assert.That(names, Has.None.Matches<string>(n => n is "recursion-deadlock" or "read-reentry-pending-writer" or "writer-preference" or "readers-share" or "reader-pass" or "misuse"));
        Assert.Throws<ArgumentException>(() => StressRunner.Run(ShippedLocks.Find("counter-negation")!, ScenarioCatalog.Find("recursion-deadlock")!, Short));
    }
}
