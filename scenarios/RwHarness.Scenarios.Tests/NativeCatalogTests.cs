using NUnit.Framework;
using RwHarness.Engine;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// Every shipped lock x every default scenario under the native engine's portfolio (bounded dfs, pct,
/// random). Budgets come from RWH_* environment variables, so CI can search deeper. A failing case fails
/// its test with the interleaving and the replay token in the message.
/// </summary>
[TestFixture]
public sealed class NativeCatalogTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        from l in ShippedLocks.All
        from s in ScenarioCatalog.Default
        where s.Expect(l).Kind != ExpectationKind.NotApplicable
        select new TestCaseData(l.Name, s.Name).SetName($"{l.Name} x {s.Name}");

    [TestCaseSource(nameof(Cases))]
    public void LockHoldsScenarioUnderEveryStrategy(string lockName, string scenarioName)
    {
        var lk = ShippedLocks.Find(lockName)!;
        var scenario = ScenarioCatalog.Find(scenarioName)!;
        foreach (var options in CheckRunner.DefaultPortfolio(CheckOptions.FromEnvironment()))
        {
            var r = Explorer.Check(scenario, lk, options)!;
            Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), () => Describe(r));
            Assert.That(r.Iterations, Is.GreaterThan(0));
            if (r.Expected != "holds")
            {
                // An expected deadlock, exception or reachable state must come with the schedule that shows it.
                Assert.That(r.Witness, Is.Not.Null, $"{options.Strategy}: expected {r.Expected} but no witness schedule was recorded");
                Assert.That(r.Witness!.Replay, Does.StartWith("rwh1:"));
            }
        }
    }

    [Test]
    public void RecursionDeadlockNamesBothWaits()
    {
        var r = Explorer.Check(ScenarioCatalog.Find("recursion-deadlock")!, ShippedLocks.Find("counter-negation")!, new CheckOptions { Strategy = "dfs", Iterations = 100 })!;
        Assert.That(r.Witness!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        Assert.That(r.Witness.Message, Does.Contain("Bind waits in Semacquire(readerSem) (holds write; in EnterRead)"));
        Assert.That(r.Witness.Message, Does.Contain("Query waits in Semacquire(readerSem)"));
    }

    [Test]
    public void RwlsWithoutRecursionThrowsLockRecursionExceptionOnTheSeed004Pattern()
    {
        var r = Explorer.Check(ScenarioCatalog.Find("recursion-deadlock")!, ShippedLocks.Find("rwls-norecursion")!, new CheckOptions { Strategy = "dfs", Iterations = 100 })!;
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
        Assert.That(r.Witness!.Message, Does.Contain("LockRecursionException"));
    }

    [Test]
    public void DfsProvesTwoReadersCanShareAndSaysCoverageIsComplete()
    {
        var r = Explorer.Check(ScenarioCatalog.Find("readers-share")!, ShippedLocks.Find("counter-negation")!, new CheckOptions { Strategy = "dfs", Iterations = 100_000 })!;
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
        Assert.That(r.Coverage, Is.EqualTo(Coverages.Complete));
        Assert.That(r.Witness!.Steps[r.Witness.FailingStep].State, Does.Contain("inside: 2R"), string.Join("\n", r.Witness.Trace));
    }

    [Test]
    public void APinnedTokenReRunsOneSchedule()
    {
        // A token from a failing run can be pinned in a test to re-run exactly that schedule.
        var scenario = ScenarioCatalog.Find("recursion-deadlock")!;
        var lk = ShippedLocks.Find("reader-queue")!;
        var token = ReplayToken.Parse("rwh1:reader-queue:recursion-deadlock:dfs:1:0:5000:a6");
        var replay = Explorer.Replay(token, () => scenario.Create<ControlledSync>(lk));
        Assert.That(replay.Kind, Is.EqualTo(FailureKinds.Deadlock), replay.Describe());
    }

    private static string Describe(CaseResult r) =>
        $"{r.Lock} x {r.Scenario} [{r.Strategy}] expected {r.Expected}: {r.Failure?.Kind}: {r.Failure?.Message}{Environment.NewLine}"
        + string.Join(Environment.NewLine, r.Failure?.Trace ?? []) + $"{Environment.NewLine}replay: {r.Failure?.Replay}";
}
