using System.Reflection;
using System.Security.Cryptography;
using RwHarness.Model;
using RwHarness.Results;

namespace RwHarness.Coyote.Tests;

/// <summary>
/// Bring your own lock: samples/SampleUserLocks (plain Interlocked/Volatile/Monitor, no ISync) tested on a
/// rewritten copy of its assembly.
/// </summary>
[TestFixture]
public sealed class UserAssemblyTests
{
    private static string SamplePath =>
        Path.GetFullPath(typeof(UserAssemblyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SampleUserLocksPath").Value!);

    private static IReadOnlyList<LockDescriptor> Locks => UserAssemblyLocks.Load(SamplePath);

    [Test]
    public void FindsBothSampleLocks()
    {
        Assert.That(Locks.Select(l => l.Name), Is.EquivalentTo(new[] { "buggy-bcl-rw-lock", "fixed-bcl-rw-lock" }));
        Assert.That(Locks.All(l => l is UserLockDescriptor), Is.True);
    }

    [Test]
    public void TheOriginalAssemblyIsNeverRewritten()
    {
        var before = SHA256.HashData(File.ReadAllBytes(SamplePath));
        _ = UserAssemblyLocks.Load(SamplePath);
        var lk = Locks.Single(l => l.Name == "buggy-bcl-rw-lock");
        var loadedFrom = ((UserLockDescriptor)lk).LockType.Assembly.Location;
        Assert.That(loadedFrom, Is.Not.EqualTo(SamplePath), "the lock comes from the rewritten copy");
        Assert.That(SHA256.HashData(File.ReadAllBytes(SamplePath)), Is.EqualTo(before));
        var original = File.ReadAllBytes(SamplePath);
        Assert.That(ContainsAscii(original, "Microsoft.Coyote"), Is.False, "the original references no Coyote type");
        Assert.That(ContainsAscii(File.ReadAllBytes(loadedFrom), "Microsoft.Coyote"), Is.True, "the copy was rewritten");
    }

    [Test]
    public void CoyoteFindsTheBugInBuggyBclRwLock()
    {
        var lk = Locks.Single(l => l.Name == "buggy-bcl-rw-lock");
        var r = CoyoteRunner.Run(new RwExclusionScenario(), lk, Budget.Options(CoyoteStrategies.Portfolio, Math.Max(Budget.Iterations, 500)));
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(r.Failure.Message, Does.Contain("writer inside with others"));
        Assert.That(r.Failure.Replay, Does.StartWith("coyote1:buggy-bcl-rw-lock:rw-exclusion:"));

        // The token replays against the same rewritten lock.
        var replayed = CoyoteRunner.Replay(r.Failure.Replay, CoyoteRunnerTests.FindScenario, n => Locks.FirstOrDefault(l => l.Name == n));
        Assert.That(replayed.Failure?.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(replayed.Failure!.Message, Is.EqualTo(r.Failure.Message));
    }

    [TestCase(CoyoteStrategies.Random)]
    [TestCase(CoyoteStrategies.Portfolio)]
    public void FixedBclRwLockPasses(string strategy)
    {
        var lk = Locks.Single(l => l.Name == "fixed-bcl-rw-lock");
        var r = CoyoteRunner.Run(new RwExclusionScenario(), lk, Budget.Options(strategy));
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
        Assert.That(r.Iterations, Is.EqualTo(Budget.Iterations));
    }

    [Test]
    public void FixedBclRwLockKeepsCounterExact()
    {
        var lk = Locks.Single(l => l.Name == "fixed-bcl-rw-lock");
        var r = CoyoteRunner.Run(new CounterUnderLockScenario(), lk, Budget.Options());
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Pass), r.Failure?.Message);
    }

    [Test]
    public void TheSameLockNotRewrittenBlocksOutsideCoyoteAndIsReportedNotHung()
    {
        // The original assembly, loaded as is: Monitor.Wait blocks the OS thread where Coyote cannot see it.
        var original = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(SamplePath);
        var fixedLock = UserAssemblyLocks.Discover(original).Single(l => l.Name == "fixed-bcl-rw-lock");
        var options = Budget.Options(CoyoteStrategies.Random, 200) with
        {
            BclRaceChecking = true,
            Configure = c => c.WithDeadlockTimeout(300),
        };
        var r = CoyoteRunner.Run(new RwExclusionScenario(), new NotRewritten(fixedLock), options);
        CoyoteRunnerTests.Show(r);
        Assert.That(r.Failure!.Kind, Is.EqualTo(FailureKinds.UncontrolledBlocking));
    }

    [Test]
    public void MissingAssemblyIsAClearError()
    {
        Assert.Throws<FileNotFoundException>(() => UserAssemblyLocks.Load("/nonexistent/NoSuch.dll"));
    }

    /// <summary>Wraps a descriptor so the runner does not treat it as a (rewritten) user lock.</summary>
    private sealed class NotRewritten(LockDescriptor inner) : LockDescriptor
    {
        public override string Name => inner.Name + "-not-rewritten";

        public override LockTraits Traits => inner.Traits;

        public override RwHarness.Sync.IRwLock Create<TSync>() => inner.Create<TSync>();
    }

    private static bool ContainsAscii(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(needle)) >= 0;
}
