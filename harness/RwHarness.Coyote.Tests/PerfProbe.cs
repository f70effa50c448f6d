using System.Globalization;
using RwHarness.Model;

namespace RwHarness.Coyote.Tests;

/// <summary>Prints Coyote's exploration speed on the 2-reader + 1-writer scenario. Informational: no timing assertion.</summary>
[TestFixture]
[Explicit("throughput probe; run with --filter Name=IterationsPerSecond")]
public sealed class PerfProbe
{
    [TestCase(CoyoteStrategies.Random)]
    [TestCase(CoyoteStrategies.Pct)]
    [TestCase(CoyoteStrategies.Portfolio)]
    public void IterationsPerSecond(string strategy)
    {
        var lk = new GoRwMutexLock();
        _ = CoyoteRunner.Run(new RwExclusionScenario(), lk, Budget.Options(strategy, 50)); // warm up
        var r = CoyoteRunner.Run(new RwExclusionScenario(), lk, Budget.Options(strategy, 1000));
        var rate = r.Iterations * 1000.0 / Math.Max(1, r.ElapsedMs);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coyote-{strategy} go-rwmutex x rw-exclusion: {r.Iterations} iterations, {r.Steps} steps in {r.ElapsedMs} ms = {rate:F0} iterations/s"));
        Assert.That(r.Verdict, Is.EqualTo(Results.Verdicts.Pass));
    }
}
