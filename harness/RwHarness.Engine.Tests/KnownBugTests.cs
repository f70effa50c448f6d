using NUnit.Framework;
using RwHarness.Engine.Tests.Programs;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Engine.Tests;

/// <summary>
/// The engine's proof on known bugs: each bug is found by each strategy within the stated budget,
/// its token replays it, and the fixed program passes the same budget.
/// </summary>
[TestFixture]
public sealed class KnownBugTests
{
    public static IEnumerable<TestCaseData> Bugs()
    {
        // (program, expected failure kind, budget per strategy)
        foreach (var strategy in new[] { "random", "pct", "dfs" })
        {
            yield return new TestCaseData("lost-update", FailureKinds.Invariant, strategy, 200L).SetName($"LostUpdate_{strategy}");
            yield return new TestCaseData("abba", FailureKinds.Deadlock, strategy, 500L).SetName($"AbbaDeadlock_{strategy}");
            yield return new TestCaseData("lost-wakeup", FailureKinds.Deadlock, strategy, 200L).SetName($"LostWakeup_{strategy}");
            yield return new TestCaseData("depth-three", FailureKinds.Invariant, strategy, 2000L).SetName($"DepthThree_{strategy}");
        }
    }

    internal static Func<ScenarioInstance> Program(string name, bool fixedVersion) => name switch
    {
        "lost-update" => () => KnownBugs.LostUpdate<ControlledSync>(fixedVersion),
        "abba" => () => KnownBugs.Abba<ControlledSync>(fixedVersion),
        "lost-wakeup" => () => KnownBugs.LostWakeup<ControlledSync>(fixedVersion),
        "depth-three" => () => KnownBugs.DepthThree<ControlledSync>(fixedVersion),
        _ => throw new ArgumentException(name),
    };

    [TestCaseSource(nameof(Bugs))]
    public void BugIsFoundReplayedAndFixedVersionPasses(string program, string kind, string strategy, long budget)
    {
        var options = Budgets.For(strategy, budget);
        if (strategy == "dfs" && program == "depth-three")
        {
            // 319,770 schedules in all; iterative context bounding (PLDI 2007) reaches the bug with 2 preemptions.
            options = options with { PreemptionBound = 2 };
        }
        var found = Explorer.Explore("none", program, Program(program, fixedVersion: false), options);
        Assert.That(found.Failure, Is.Not.Null, $"{strategy} did not find the {program} bug within {budget} executions");
        Assert.That(found.Failure!.Kind, Is.EqualTo(kind), found.Failure.Describe());
        Assert.That(found.Failure.Reproduced, Is.True, "the traced replay did not reproduce the failure");

        // The token alone reproduces the same interleaving, bit for bit.
        var token = ReplayToken.Parse(found.Failure.Token.ToString());
        var replayed = Explorer.Replay(token, Program(program, fixedVersion: false));
        Assert.That(replayed.Kind, Is.EqualTo(kind));
        Assert.That(replayed.TraceLines, Is.EqualTo(found.Failure.TraceLines));

        var fixedRun = Explorer.Explore("none", program, Program(program, fixedVersion: true), options);
        Assert.That(fixedRun.Failure, Is.Null, () => fixedRun.Failure!.Describe());
        Assert.That(fixedRun.Iterations, Is.GreaterThan(0));
    }

    [Test]
    public void DeadlockReportNamesWhatEachThreadWaitsOn()
    {
        var found = Explorer.Explore("none", "abba", Program("abba", false), Budgets.For("dfs", 500));
        Assert.That(found.Failure!.Message, Does.Contain("T0 waits in Semacquire(sema)").And.Contain("T1 waits in Semacquire(sema)"));
        Assert.That(found.Failure.Message, Does.Contain("holds A").And.Contain("holds B"));
    }

    [Test]
    public void LostWakeupReportNamesThePark()
    {
        var found = Explorer.Explore("none", "lost-wakeup", Program("lost-wakeup", false), Budgets.For("dfs", 200));
        Assert.That(found.Failure!.Message, Does.Contain("consumer waits in Park"));
    }

    [TestCase(2, 1, 2)]
    [TestCase(2, 2, 6)]
    [TestCase(2, 3, 20)]
    [TestCase(3, 1, 6)]
    [TestCase(3, 2, 90)]
    public void DfsCoversACorrectProgramCompletelyWithTheExactCount(int threads, int ops, int interleavings)
    {
        // (threads*ops)! / (ops!)^threads schedules: C(4,2) = 6 for 2 threads x 2 operations.
        var x = Explorer.Explore("none", "independent", () => Programs.KnownBugs.Independent<ControlledSync>(threads, ops), new CheckOptions { Strategy = "dfs", Iterations = 100_000 });
        Assert.That(x.Failure, Is.Null);
        Assert.That(x.Complete, Is.True);
        Assert.That(x.Iterations, Is.EqualTo(interleavings));
        Assert.That(x.DistinctInterleavings, Is.EqualTo(interleavings));
    }

    [Test]
    public void DfsWithAPreemptionBoundCoversFewerSchedulesAndSaysSo()
    {
        var bounded = Explorer.Explore("none", "independent", () => Programs.KnownBugs.Independent<ControlledSync>(2, 3), new CheckOptions { Strategy = "dfs", Iterations = 100_000, PreemptionBound = 0 });
        Assert.That(bounded.Complete, Is.True);
        Assert.That(bounded.PreemptionBound, Is.EqualTo(0));
        // With no preemption allowed, each thread runs to its end once started: 2 schedules.
        Assert.That(bounded.Iterations, Is.EqualTo(2));
    }

    [Test]
    public void DfsReportsSampledCoverageWhenTheBudgetRunsOut()
    {
        var x = Explorer.Explore("none", "independent", () => Programs.KnownBugs.Independent<ControlledSync>(2, 3), new CheckOptions { Strategy = "dfs", Iterations = 5 });
        Assert.That(x.Complete, Is.False);
        Assert.That(x.Iterations, Is.EqualTo(5));
    }

    [Test]
    public void SpinningForeverExceedsTheStepBound()
    {
        var x = Explorer.Explore("none", "livelock", () => Programs.KnownBugs.Livelock<ControlledSync>(), new CheckOptions { Strategy = "random", Iterations = 10, MaxSteps = 300 });
        Assert.That(x.Failure?.Kind, Is.EqualTo(FailureKinds.StepBound));
        Assert.That(x.Failure!.Message, Does.Contain("300 steps"));
    }

    [TestCase(1, 2)]
    [TestCase(1, 3)]
    public void SameSeedGivesTheSameResultWhateverTheNumberOfWorkers(int a, int b)
    {
        CheckOptions Opts(int p) => new() { Strategy = "random", Iterations = 400, Seed = 7, Parallel = p };
        var x = Explorer.Explore("none", "depth-three", Program("depth-three", false), Opts(a));
        var y = Explorer.Explore("none", "depth-three", Program("depth-three", false), Opts(b));
        Assert.That(y.Iterations, Is.EqualTo(x.Iterations));
        Assert.That(y.Steps, Is.EqualTo(x.Steps));
        Assert.That(y.DistinctInterleavings, Is.EqualTo(x.DistinctInterleavings));
        Assert.That(y.Failure?.Token.ToString(), Is.EqualTo(x.Failure?.Token.ToString()));
    }

    [Test]
    public void DifferentSeedsExploreDifferentSchedules()
    {
        var x = Explorer.Explore("none", "independent", () => Programs.KnownBugs.Independent<ControlledSync>(3, 3), new CheckOptions { Strategy = "random", Iterations = 50, Seed = 1 });
        Assert.That(x.DistinctInterleavings, Is.GreaterThan(10));
    }
}
