using NUnit.Framework;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Sync;

namespace RwHarness.Engine.Tests;

/// <summary>Each failure kind is distinct and reported as such; nothing hangs.</summary>
[TestFixture]
public sealed class FailureKindTests
{
    [Test]
    public void AnUnhandledExceptionInAVirtualThreadIsReportedWithItsType()
    {
        var x = Explorer.Explore("none", "throws", () => new ScenarioInstance(
            new ThreadSpec("T0", () =>
            {
                var c = new int[1];
                ControlledSync.Add(ref c[0], 1);
                throw new InvalidOperationException("boom");
            }),
            new ThreadSpec("T1", () => { })), new CheckOptions { Iterations = 5 });
        Assert.That(x.Failure?.Kind, Is.EqualTo(FailureKinds.Exception));
        Assert.That(x.Failure!.ExceptionType, Is.EqualTo(nameof(InvalidOperationException)));
        Assert.That(x.Failure.Message, Does.Contain("boom"));
    }

    [Test]
    public void AnInvariantIsCheckedAtEveryStepNotOnlyAtTheEnd()
    {
        // The counter passes through 2 and comes back to 0: only a per-step check sees it.
        var cell = new int[1];
        var x = Explorer.Explore("none", "transient", () =>
        {
            cell[0] = 0;
            void Body()
            {
                ControlledSync.Add(ref cell[0], 1);
                ControlledSync.Add(ref cell[0], -1);
            }
            return new ScenarioInstance(new ThreadSpec("T0", Body), new ThreadSpec("T1", Body))
            {
                Invariant = () => cell[0] > 1 ? $"counter reached {cell[0]}" : null,
                Final = () => cell[0] == 0 ? null : "not back to zero",
            };
        }, new CheckOptions { Strategy = "dfs", Iterations = 100 });
        Assert.That(x.Failure?.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(x.Failure!.Message, Is.EqualTo("counter reached 2"));
    }

    [Test]
    public void BlockingOutsideISyncIsReportedAndTheRunEnds()
    {
        using var never = new ManualResetEventSlim(false);
        try
        {
            var x = Explorer.Explore("none", "uncontrolled", () => new ScenarioInstance(
                new ThreadSpec("T0", () =>
                {
                    var c = new int[1];
                    ControlledSync.Load(ref c[0]);
                    never.Wait(); // a wait the engine cannot see
                }),
                new ThreadSpec("T1", () => ControlledSync.Yield())), new CheckOptions { Iterations = 3, Watchdog = TimeSpan.FromMilliseconds(200) });
            Assert.That(x.Failure?.Kind, Is.EqualTo(FailureKinds.UncontrolledBlocking));
            Assert.That(x.Failure!.Message, Does.Contain("T0 reached no scheduling point"));
        }
        finally
        {
            never.Set(); // release the abandoned OS threads
        }
    }

    [Test]
    public void AScenarioAssertionIsAnInvariantFailure()
    {
        var x = Explorer.Explore("none", "assert", () => new ScenarioInstance(
            new ThreadSpec("T0", () => ScenarioAssert.That(false, "nope"))), new CheckOptions { Iterations = 1 });
        Assert.That(x.Failure?.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(x.Failure!.Message, Does.Contain("nope"));
    }

    [Test]
    public void AReplayOfAnotherProgramDivergesAndSaysSo()
    {
        var token = new ReplayToken("none", "x", "random", 1, 0, 100, [5]);
        var r = Explorer.Replay(token, () => Programs.KnownBugs.Independent<ControlledSync>(2, 2));
        Assert.That(r.Kind, Is.EqualTo(FailureKinds.ReplayDivergence));
    }

    [Test]
    public void ReachabilityWitnessIsRecordedWithAReplayableSchedule()
    {
        var inside = new int[1];
        var max = 0;
        var x = Explorer.Explore("none", "both-inside", () =>
        {
            inside[0] = 0;
            void Body()
            {
                ControlledSync.Add(ref inside[0], 1);
                ControlledSync.Add(ref inside[0], -1);
            }
            return new ScenarioInstance(new ThreadSpec("T0", Body), new ThreadSpec("T1", Body))
            {
                Witness = () => (max = Math.Max(max, inside[0])) == 2,
            };
        }, new CheckOptions { Strategy = "dfs", Iterations = 100 });
        Assert.That(x.Failure, Is.Null);
        Assert.That(x.WitnessReached, Is.True);
        Assert.That(x.Witness!.TraceLines, Is.Not.Empty);
    }

    [Test]
    public void SemaphoreHandoffGivesTheCountToTheWaiterNotABarger()
    {
        // T0 waits on the semaphore; T1 releases with handoff then immediately tries to take it back.
        // With handoff the waiter must get it, so T1's TryAcquire-style check sees 0.
        var x = Explorer.Explore("none", "handoff", () =>
        {
            var s = new Sema[1];
            var stolen = new int[1];
            return new ScenarioInstance(
                new ThreadSpec("T0", () => ControlledSync.Semacquire(ref s[0])),
                new ThreadSpec("T1", () =>
                {
                    ControlledSync.Yield();
                    ControlledSync.Semrelease(ref s[0], handoff: true);
                    if (ControlledSync.Load(ref stolen[0]) == 0 && s[0].Count > 0)
                    {
                        stolen[0] = 1;
                    }
                }))
            {
                Final = () => stolen[0] == 0 ? null : "the releaser found the count it handed off",
            };
        }, new CheckOptions { Strategy = "dfs", Iterations = 1000 });
        Assert.That(x.Failure, Is.Null, () => x.Failure!.Describe());
        Assert.That(x.Complete, Is.True);
    }
}
