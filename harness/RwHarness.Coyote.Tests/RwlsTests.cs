using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Coyote.Tests;

/// <summary>
/// ReaderWriterLockSlim under Coyote through an ISync adapter: each RWLS call is one atomic step and a
/// failed TryEnter disables the virtual thread (WaitExternal), so contention never looks like a
/// "potential deadlock", and the seed-004 recursion case is reported exactly.
/// </summary>
[TestFixture]
public sealed class RwlsTests
{
    private static readonly LockDescriptor Rwls = new RwlsLock(LockRecursionPolicy.NoRecursion);
    private static readonly LockDescriptor RwlsRecursive = new RwlsLock(LockRecursionPolicy.SupportsRecursion);

    [TestCase(CoyoteStrategies.Random)]
    [TestCase(CoyoteStrategies.Pct)]
    [TestCase(CoyoteStrategies.Portfolio)]
    public void ContendedRwlsHoldsWithNoPotentialDeadlock(string strategy)
    {
        var r = CoyoteRunner.Run(new RwExclusionScenario(), Rwls, Budget.Options(strategy));
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
        Assert.That(r.Failure, Is.Null);
        Assert.That(r.Iterations, Is.EqualTo(Budget.Iterations));
    }

    [Test]
    public void ContendedRwlsReachesTwoReadersTogether()
    {
        var reach = new ReachTwoReaders();
        var r = CoyoteRunner.Run(reach, Rwls, Budget.Options());
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Expected, Is.EqualTo("reachable"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
        Assert.That(r.Note, Does.Contain("witness state reached"));
    }

    [Test]
    public void CounterUnderRwlsIsExact()
    {
        var r = CoyoteRunner.Run(new CounterUnderLockScenario(), Rwls, Budget.Options());
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
    }

    [Test]
    public void WriteThenReadOnRwlsNoRecursionIsALockRecursionException()
    {
        var r = CoyoteRunner.Run(new WriteThenReadScenario(), Rwls, Budget.Options());
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Expected, Is.EqualTo("finds:exception:LockRecursionException"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
        Assert.That(r.Witness!.Kind, Is.EqualTo(FailureKinds.Exception));
        Assert.That(r.Witness.Message, Does.Contain("T1 threw LockRecursionException"));
        Assert.That(r.Witness.Message, Does.Not.Contain("eadlock"));
    }

    [Test]
    public void WriteThenReadOnAGoStyleLockIsADeadlock()
    {
        var r = CoyoteRunner.Run(new WriteThenReadScenario(), new GoRwMutexLock(), Budget.Options());
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Expected, Is.EqualTo("finds:deadlock"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
        Assert.That(r.Witness!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        Assert.That(r.Witness.Message, Does.Not.Contain("Potential"));
        Assert.That(r.Witness.Message, Does.Contain("T1 waits in Semacquire(readerSem#1)"));
    }

    [Test]
    public void WriteThenReadOnRwlsWithRecursionHolds()
    {
        var r = CoyoteRunner.Run(new WriteThenReadScenario(), RwlsRecursive, Budget.Options());
        Assert.That(r.Expected, Is.EqualTo("holds"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
    }

    [Test]
    public void ContendedRecursiveRwlsHolds()
    {
        var r = CoyoteRunner.Run(new RwExclusionScenario(), RwlsRecursive, Budget.Options(CoyoteStrategies.Pct));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
    }

    /// <summary>rw-exclusion with a reachability expectation: two readers are inside together in some schedule.</summary>
    internal sealed class ReachTwoReaders : Scenario
    {
        private readonly RwExclusionScenario inner = new();

        public override string Name => "two-readers-together";

        public override string Description => "two readers can be inside at once";

        public override Expectation Expect(LockDescriptor lockDescriptor) => Expectation.Reachable("readers share");

        public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor) => inner.Create<TSync>(lockDescriptor);
    }
}
