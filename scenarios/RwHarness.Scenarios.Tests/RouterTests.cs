using NUnit.Framework;
using RwHarness.Engine;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios.Router;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// Scenario 8, the Router of seed 000: its history is linearizable on every shipped lock, and a lock
/// whose read side does nothing is caught.
/// </summary>
[TestFixture]
public sealed class RouterTests
{
    public static IEnumerable<TestCaseData> Locks() => ShippedLocks.All.Select(l => new TestCaseData(l.Name).SetName($"router holds on {l.Name}"));

    [TestCaseSource(nameof(Locks))]
    public void RouterHistoryIsLinearizableOnEveryShippedLock(string lockName)
    {
        var lk = ShippedLocks.Find(lockName)!;
        var scenario = ScenarioCatalog.Find("router")!;
        Assert.That(scenario.Expect(lk), Is.EqualTo(Expectation.Holds));
        var dfs = Explorer.Check(scenario, lk, new CheckOptions { Strategy = "dfs", Iterations = 3000, PreemptionBound = 2 })!;
        Assert.That(dfs.Verdict, Is.EqualTo(Verdicts.Pass), () => Describe(dfs));
        var pct = Explorer.Check(scenario, lk, new CheckOptions { Strategy = "pct", Iterations = 300 })!;
        Assert.That(pct.Verdict, Is.EqualTo(Verdicts.Pass), () => Describe(pct));
    }

    [Test]
    public void ABrokenReadSideFailsTheRouter()
    {
        var r = Explorer.Check(new RouterScenario(), new NoReadSideDescriptor(), new CheckOptions { Strategy = "dfs", Iterations = 5000, PreemptionBound = 2 })!;
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Invariant), Describe(r));
        Assert.That(r.Failure.Replay, Does.StartWith("rwh1:test-no-read-side:router:"));
    }

    [Test]
    public void ABrokenReadSideMakesTheRouterHistoryNonLinearizable()
    {
        // Without the per-step exclusion check, the history alone must convict the lock: a Query that slips
        // into T0's replacement of a's peer finds no peer, though a was filed before and never deleted.
        var scenario = new RouterScenario("router-history-only", RouterScenario.DefaultPlan, checkExclusion: false);
        var lk = new NoReadSideDescriptor();
        var r = Explorer.Check(scenario, lk, new CheckOptions { Strategy = "dfs", Iterations = 5000, PreemptionBound = 2 })!;
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Message, Does.Contain("the router's history is not linearizable"), Describe(r));
        Assert.That(r.Failure.Message, Does.Contain("T1 Query(a) -> nil"), Describe(r));
        Assert.That(r.Failure.Message, Does.Contain("would return p"), Describe(r));

        // The token re-runs the same schedule and shows the same verdict.
        var replay = Explorer.Replay(ReplayToken.Parse(r.Failure.Replay), () => scenario.Create<ControlledSync>(lk));
        Assert.That(replay.Message, Is.EqualTo(r.Failure.Message));
    }

    [Test]
    public void TheRouterIsInTheCatalogueAndDescribesItsPlan()
    {
        var s = ScenarioCatalog.Find("router");
        Assert.That(s, Is.InstanceOf<RouterScenario>());
        Assert.That(ScenarioCatalog.Default, Does.Contain(s));
        Assert.That(s!.Description, Does.Contain("T0: Add(a=p1); Add(a=p2) | T1: Query(a); Query(b) | T2: Add(b=p3); Delete(a)"));
    }

    private static string Describe(CaseResult r) =>
        $"{r.Lock} x {r.Scenario} [{r.Strategy}] {r.Verdict}: {r.Failure?.Kind}: {r.Failure?.Message}{Environment.NewLine}"
        + string.Join(Environment.NewLine, r.Failure?.Trace ?? []) + $"{Environment.NewLine}replay: {r.Failure?.Replay}";
}
