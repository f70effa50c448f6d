using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Coyote.Tests;

[TestFixture]
public sealed class CoyoteRunnerTests
{
    private static readonly LockDescriptor Mutex = new SemaMutexLock();

    internal static void Show(CaseResult r)
    {
        TestContext.Out.WriteLine(ResultsJson.Serialize(new RunResults { Results = [r] }));
    }

    [Test]
    public void LostUpdateIsFound()
    {
        var r = CoyoteRunner.Run(new LostUpdateScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Engine, Is.EqualTo("coyote"));
        Assert.That(r.Strategy, Is.EqualTo("coyote-random"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(r.Failure.Message, Does.Contain("counter=1"));
        Assert.That(r.Failure.Replay, Does.StartWith("coyote1:sema-mutex:lost-update:"));
    }

    [Test]
    public void AbbaDeadlockIsReportedAsDeadlockNamingBothWaits()
    {
        var r = CoyoteRunner.Run(new AbbaScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        Assert.That(r.Failure.Message, Does.Contain("T1 waits in Semacquire(b.sema)"));
        Assert.That(r.Failure.Message, Does.Contain("T2 waits in Semacquire(a.sema)"));
    }
}
