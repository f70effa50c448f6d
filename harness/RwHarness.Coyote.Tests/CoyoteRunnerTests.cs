using System.Text.RegularExpressions;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Coyote.Tests;

/// <summary>The runner on small classic bug programs, built on CoyoteSync.</summary>
[TestFixture]
public sealed partial class CoyoteRunnerTests
{
    private static readonly LockDescriptor Mutex = new SemaMutexLock();
    private static readonly LockDescriptor GoRw = new GoRwMutexLock();

    internal static void Show(CaseResult r)
    {
        TestContext.Out.WriteLine($"{r.Engine} {r.Lock} x {r.Scenario} [{r.Strategy}] expected {r.Expected}: {r.Verdict} after {r.Iterations} iterations, {r.Steps} steps, {r.ElapsedMs} ms");
        var f = r.Failure ?? r.Witness;
        if (f is not null)
        {
            TestContext.Out.WriteLine($"  {(r.Failure is null ? "witness" : "failure")} {f.Kind}: {f.Message}");
            foreach (var line in f.Trace)
            {
                TestContext.Out.WriteLine("  " + line);
            }
            TestContext.Out.WriteLine($"  replay: {f.Replay}");
        }
        if (r.Note is not null)
        {
            TestContext.Out.WriteLine("  note: " + r.Note);
        }
    }

    [Test]
    public void LostUpdateIsFound()
    {
        var r = CoyoteRunner.Run(new LostUpdateScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Engine, Is.EqualTo("coyote"));
        Assert.That(r.Strategy, Is.EqualTo("coyote-random"));
        Assert.That(r.Expected, Is.EqualTo("holds"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Coverage, Is.EqualTo(Coverages.Sampled));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(r.Failure.Message, Does.Contain("counter=1, expected 2"));
        Assert.That(r.Failure.Replay, Does.StartWith("coyote1:sema-mutex:lost-update:"));
        Assert.That(r.Failure.Trace, Has.Some.Contains("load s.Counter"));
        Assert.That(r.Failure.Threads, Is.EqualTo(new[] { "T1", "T2" }));
    }

    [TestCase(CoyoteStrategies.Random)]
    [TestCase(CoyoteStrategies.Probabilistic)]
    [TestCase(CoyoteStrategies.Pct)]
    [TestCase(CoyoteStrategies.FairPct)]
    [TestCase(CoyoteStrategies.DelayBounding)]
    [TestCase(CoyoteStrategies.FairDelayBounding)]
    [TestCase(CoyoteStrategies.QLearning)]
    [TestCase(CoyoteStrategies.Portfolio)]
    public void EveryStrategyFindsTheLostUpdate(string strategy)
    {
        var r = CoyoteRunner.Run(new LostUpdateScenario(), Mutex, Budget.Options(strategy));
        Show(r);
        Assert.That(r.Strategy, Is.EqualTo("coyote-" + strategy));
        Assert.That(r.Failure?.Kind, Is.EqualTo(FailureKinds.Invariant));
    }

    [Test]
    public void AbbaDeadlockIsReportedAsDeadlockNamingBothWaits()
    {
        var r = CoyoteRunner.Run(new AbbaScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        var message = r.Failure.Message;
        Assert.That(message, Does.Not.Contain("Potential"));
        Assert.That(message, Does.Contain("Deadlock detected"));
        Assert.That(message, Does.Match(@"T1 waits in Semacquire\(sema#\d\)"));
        Assert.That(message, Does.Match(@"T2 waits in Semacquire\(sema#\d\)"));
        var ids = WaitOf().Matches(message).Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Has.Count.EqualTo(2).And.Unique, "the two threads wait on two different semaphores");
    }

    [GeneratedRegex(@"waits in Semacquire\(sema#(\d)\)")]
    private static partial Regex WaitOf();

    [Test]
    public void DeadlockExpectedIsAPassWithWitness()
    {
        var r = CoyoteRunner.Run(new WriteThenReadScenario(), GoRw, Budget.Options());
        Show(r);
        Assert.That(r.Expected, Is.EqualTo("finds:deadlock"));
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
        Assert.That(r.Failure, Is.Null);
        Assert.That(r.Witness!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        Assert.That(r.Witness.Message, Does.Contain("T1 waits in Semacquire(readerSem#"));
    }

    [Test]
    public void CorrectProgramPasses()
    {
        var r = CoyoteRunner.Run(new CounterUnderLockScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
        Assert.That(r.Failure, Is.Null);
        Assert.That(r.Iterations, Is.EqualTo(Budget.Iterations));
    }

    [TestCase(CoyoteStrategies.Random)]
    [TestCase(CoyoteStrategies.Pct)]
    [TestCase(CoyoteStrategies.Portfolio)]
    public void GoRwMutexKeepsWritersAlone(string strategy)
    {
        var r = CoyoteRunner.Run(new RwExclusionScenario(), GoRw, Budget.Options(strategy));
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
        Assert.That(r.Iterations, Is.EqualTo(Budget.Iterations));
    }

    [Test]
    public void ExclusionBugInAMutexUsedAsReadLockIsNotAFalsePositive()
    {
        // The sema mutex lets one thread in at a time: both the invariant and the final check hold.
        var r = CoyoteRunner.Run(new RwExclusionScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass));
    }

    [Test]
    public void UnreachedWitnessIsExpectationNotMet()
    {
        // The sema mutex never lets two readers in together.
        var r = CoyoteRunner.Run(new RwlsTests.ReachTwoReaders(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.ExpectationNotMet));
        Assert.That(r.Failure.Message, Does.Contain("no explored schedule reached the expected state"));
    }

    [Test]
    public void ParkUnparkLosesNoWakeUp()
    {
        var r = CoyoteRunner.Run(new ParkUnparkScenario(parkTwice: false), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
    }

    [Test]
    public void ParkWithoutUnparkIsADeadlock()
    {
        var r = CoyoteRunner.Run(new ParkUnparkScenario(parkTwice: true), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        Assert.That(r.Failure.Message, Does.Contain("T1 waits in Park("));
    }

    [Test]
    public void SpinningForeverHitsTheStepBound()
    {
        var r = CoyoteRunner.Run(new SpinForeverScenario(), Mutex, Budget.Options() with { MaxSteps = 300 });
        Show(r);
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.StepBound));
        Assert.That(r.Failure.Message, Does.Contain("Scheduling steps bound of"));
    }

    [Test]
    public void BlockingOutsideIsyncIsReportedNotHung()
    {
        var r = CoyoteRunner.Run(new UncontrolledWaitScenario(), Mutex, Budget.Options(iterations: 5));
        Show(r);
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.UncontrolledBlocking));
    }

    [Test]
    public void ExceptionsAreReportedWithTheirTypeName()
    {
        var r = CoyoteRunner.Run(new ThrowingScenario(), Mutex, Budget.Options());
        Show(r);
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Exception));
        Assert.That(r.Failure.Message, Does.Contain("T1 threw InvalidOperationException: boom"));
    }

    [Test]
    public void ReplayReproducesTheSameFailure()
    {
        var first = CoyoteRunner.Run(new LostUpdateScenario(), Mutex, Budget.Options(CoyoteStrategies.Pct));
        Assert.That(first.Failure, Is.Not.Null);
        var token = first.Failure!.Replay;
        Assert.That(ReplayToken.IsCoyoteToken(token), Is.True);

        var replayed = CoyoteRunner.Replay(token, FindScenario, FindLock);
        Show(replayed);
        Assert.That(replayed.Strategy, Is.EqualTo("coyote-replay"));
        Assert.That(replayed.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(replayed.Failure!.Kind, Is.EqualTo(first.Failure.Kind));
        Assert.That(replayed.Failure.Message, Is.EqualTo(first.Failure.Message));
        Assert.That(OwnLines(replayed.Failure), Is.EqualTo(OwnLines(first.Failure)), "the same interleaving, operation by operation");
    }

    [Test]
    public void ReplayOfADeadlockReproducesIt()
    {
        var first = CoyoteRunner.Run(new AbbaScenario(), Mutex, Budget.Options(CoyoteStrategies.Portfolio));
        Assert.That(first.Failure?.Kind, Is.EqualTo(FailureKinds.Deadlock));
        var replayed = CoyoteRunner.Replay(first.Failure!.Replay, FindScenario, FindLock);
        Show(replayed);
        Assert.That(replayed.Failure!.Kind, Is.EqualTo(FailureKinds.Deadlock));
        Assert.That(OwnLines(replayed.Failure), Is.EqualTo(OwnLines(first.Failure)));
    }

    [Test]
    public void ReplayTokenRoundTrips()
    {
        var t = new ReplayToken("go-rwmutex", "rw-exclusion", "{\"Steps\":[\"op(0)\"]}");
        var parsed = ReplayToken.Parse(t.Encode());
        Assert.That(parsed, Is.EqualTo(t));
        Assert.That(t.Encode(), Does.Not.Contain("=").And.Not.Contain("+").And.Not.Contain("/"));
        Assert.Throws<FormatException>(() => ReplayToken.Parse("native1:x"));
    }

    [Test]
    public void StrategyNamesNormalize()
    {
        Assert.That(CoyoteStrategies.Normalize("coyote-prioritization"), Is.EqualTo(CoyoteStrategies.Pct));
        Assert.That(CoyoteStrategies.Label("PCT"), Is.EqualTo("coyote-pct"));
        Assert.Throws<ArgumentException>(() => CoyoteStrategies.Normalize("bogus"));
    }

    private static List<string> OwnLines(FailureInfo f) => f.Trace.TakeWhile(l => !l.StartsWith("---", StringComparison.Ordinal)).ToList();

    internal static Scenario? FindScenario(string name) => new Scenario[]
    {
        new LostUpdateScenario(), new AbbaScenario(), new CounterUnderLockScenario(), new RwExclusionScenario(),
        new WriteThenReadScenario(), new ThrowingScenario(),
    }.FirstOrDefault(s => s.Name == name);

    internal static LockDescriptor? FindLock(string name) => new LockDescriptor[]
    {
        Mutex, GoRw, new RwlsLock(LockRecursionPolicy.NoRecursion), new RwlsLock(LockRecursionPolicy.SupportsRecursion),
    }.FirstOrDefault(l => l.Name == name);
}
