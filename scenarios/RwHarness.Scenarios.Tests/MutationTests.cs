using NUnit.Framework;
using RwHarness.Engine;
using RwHarness.Engine.Mutation;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios.Mutants;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// The mutation gate: every deliberately broken lock is caught under the default budget (the score stays at
/// 100 %), by a failure of the lock and not of the harness, and its replay token reproduces that failure.
/// </summary>
[TestFixture]
public sealed class MutationTests
{
    private static readonly string[] LockFailureKinds =
    [
        FailureKinds.Invariant, FailureKinds.Deadlock, FailureKinds.StepBound, FailureKinds.ExpectationNotMet,
    ];

    private Dictionary<string, MutantResult> results = [];

    public static IEnumerable<string> MutantNames() => MutantCatalog.All.Select(m => m.Name);

    [OneTimeSetUp]
    public void RunTheGate()
    {
        var list = MutationRunner.Run(MutantCatalog.All, ScenarioCatalog.Default, CheckOptions.FromEnvironment(), Environment.ProcessorCount);
        results = list.ToDictionary(r => r.Mutant);
    }

    [Test]
    public void MutationScoreIs100Percent()
    {
        Assert.That(MutantCatalog.All, Has.Count.GreaterThanOrEqualTo(12));
        var missed = results.Values.Where(r => !r.Caught).Select(r => $"{r.Mutant} ({r.Description})").ToList();
        Assert.That(missed, Is.Empty, $"caught {results.Count - missed.Count} of {results.Count} mutants");
    }

    [TestCaseSource(nameof(MutantNames))]
    public void MutantIsCaughtByALockFailureThatReplays(string name)
    {
        var r = results[name];
        Assert.That(r.Caught, Is.True, $"{name} survived {r.Schedules} schedules");
        var f = r.Failure!;
        Assert.That(LockFailureKinds, Does.Contain(f.Kind), $"{name}: {f.Kind}: {f.Message}");
        Assert.That(r.Schedules, Is.GreaterThan(0));
        if (f.Kind == FailureKinds.ExpectationNotMet)
        {
            return; // an expected outcome that never showed has no schedule to replay
        }
        Assert.That(f.Replay, Does.StartWith($"rwh1:{name}:{r.Scenario}:{r.Strategy}:"));
        var token = ReplayToken.Parse(f.Replay);
        var mutant = MutantCatalog.Find(token.Lock)!;
        var scenario = ScenarioCatalog.Find(token.Scenario)!;
        var replay = Explorer.Replay(token, () => scenario.Create<ControlledSync>(mutant));
        Assert.That(replay.Kind, Is.EqualTo(f.Kind), replay.Describe());
        Assert.That(replay.Message, Is.EqualTo(f.Message));
    }

    [TestCaseSource(nameof(MutantNames))]
    public void MutantKeepsTheOriginalsPromises(string name)
    {
        var m = MutantCatalog.All.Single(x => x.Name == name);
        Assert.That(m.Name, Does.Match("^mutant-[a-z0-9-]+$"));
        Assert.That(m.Description, Is.Not.Empty);
        var original = ShippedLocks.Find(m.Original)!;
        Assert.That(m.Traits, Is.EqualTo(original.Traits));
        Assert.That(m.ReadMisuseMessage, Is.EqualTo(original.ReadMisuseMessage));
        Assert.That(m.WriteMisuseMessage, Is.EqualTo(original.WriteMisuseMessage));
    }

    [Test]
    public void EachMutantSourceHasExactlyOneMarkedChange()
    {
        var dir = Path.Combine(RepoRoot(), "scenarios", "RwHarness.Scenarios", "Mutants");
        foreach (var file in Directory.GetFiles(dir, "*.cs"))
        {
            var markers = File.ReadAllLines(file).Count(l => l.TrimStart().StartsWith("// MUTANT:", StringComparison.Ordinal));
            var expected = File.ReadAllText(file).Contains(": MutantDescriptor", StringComparison.Ordinal) ? 1 : 0;
            Assert.That(markers, Is.EqualTo(expected), Path.GetFileName(file));
        }
    }

    [Test]
    public void TheUnmodifiedCopiesPassWhereTheMutantsFail()
    {
        // The mutants' building blocks are faithful: the unmodified copy holds the scenarios that catch mutants.
        var copy = new PristineCopy();
        foreach (var name in new[] { "mutual-exclusion", "mutual-exclusion-r1-w2-x2", "misuse", "writers-queue" })
        {
            foreach (var o in CheckRunner.DefaultPortfolio(CheckOptions.FromEnvironment()))
            {
                var r = Explorer.Check(ScenarioCatalog.Find(name)!, copy, o)!;
                Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), () => $"{name} [{o.Strategy}]: {r.Failure?.Kind}: {r.Failure?.Message}");
            }
        }
    }

    private static string RepoRoot()
    {
        var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "RwHarness.sln")))
        {
            d = d.Parent;
        }
        return d?.FullName ?? throw new DirectoryNotFoundException("RwHarness.sln not found above the test directory");
    }

    private sealed class PristineCopy : LockDescriptor
    {
        public override string Name => "pristine-counter-negation-copy";

        public override LockTraits Traits => LockTraits.Go;

        public override string? ReadMisuseMessage => "sync: RUnlock of unlocked RWMutex";

        public override string? WriteMisuseMessage => "sync: Unlock of unlocked RWMutex";

        // The host of the mutex mutant, with the shipped mutex: it must behave as the shipped lock.
        public override IRwLock Create<TSync>() => new CounterNegationCopy<TSync, ShippedGoMutex<TSync>>();
    }
}
