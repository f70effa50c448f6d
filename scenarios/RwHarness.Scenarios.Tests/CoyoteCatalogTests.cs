using NUnit.Framework;
using RwHarness.Coyote;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// `dotnet test` under Coyote: every shipped lock x default scenario on Coyote's TestingEngine (the
/// RwHarness.Coyote assembly is rewritten after build). Budgets come from the same RWH_ITERATIONS and
/// RWH_SEED variables as the native runs (Coyote gets at most 50 iterations by default: it explores
/// about 200 schedules/s here). A failing run fails its test with Coyote's report and the replay trace.
/// </summary>
[TestFixture]
public sealed class CoyoteCatalogTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        from l in ShippedLocks.All
        from s in ScenarioCatalog.Default
        where s.Expect(l).Kind != ExpectationKind.NotApplicable
        select new TestCaseData(l.Name, s.Name).SetName($"coyote: {l.Name} x {s.Name}");

    [TestCaseSource(nameof(Cases))]
    public void LockHoldsScenarioUnderCoyote(string lockName, string scenarioName)
    {
        var iterations = uint.TryParse(Environment.GetEnvironmentVariable("RWH_ITERATIONS"), out var n) ? Math.Min(n, 1000u) : 50u;
        var seed = uint.TryParse(Environment.GetEnvironmentVariable("RWH_SEED"), out var s) ? s : 1u;
        var r = CoyoteRunner.Run(ScenarioCatalog.Find(scenarioName)!, ShippedLocks.Find(lockName)!, new CoyoteOptions { Iterations = iterations, Seed = seed });
        Assert.That(r.Engine, Is.EqualTo("coyote"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), () =>
            $"{r.Failure?.Kind}: {r.Failure?.Message}{Environment.NewLine}{string.Join(Environment.NewLine, r.Failure?.Trace ?? [])}{Environment.NewLine}replay: {r.Failure?.Replay}");
        Assert.That(r.Iterations, Is.GreaterThan(0));
    }
}
