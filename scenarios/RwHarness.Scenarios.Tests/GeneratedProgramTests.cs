using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using RwHarness.Engine;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios.Generated;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// FsCheck-generated programs: for every shipped lock, every generated program keeps mutual exclusion and
/// loses no update under a PCT budget and, for small programs, a preemption-bounded exhaustive dfs. On a
/// broken lock the property fails and FsCheck shrinks the program; the message shows the shrunk program,
/// the interleaving and the replay token. RWH_FSCHECK_COUNT raises the number of programs per lock.
/// </summary>
[TestFixture]
public sealed class GeneratedProgramTests
{
    public static IEnumerable<TestCaseData> Locks() =>
        ShippedLocks.All.Select(l => new TestCaseData(l.Name).SetName($"generated programs hold on {l.Name}"));

    [TestCaseSource(nameof(Locks))]
    public void GeneratedProgramsHoldOnShippedLock(string lockName)
    {
        var lk = ShippedLocks.Find(lockName)!;
        GeneratedProgramProperty.Check(lk, ProgramShape.For(lk), GeneratedProgramProperty.Count);
    }

    [Test]
    public void GeneratedProgramsHoldOnACorrectTestLock() =>
        GeneratedProgramProperty.Check(new SpinRwLockDescriptor(), ProgramShape.Flat, GeneratedProgramProperty.Count);

    [Test]
    public void AWriterThatIgnoresReadersFailsThePropertyAndFsCheckShrinksTheProgram()
    {
        var (program, message) = ShrunkFailure(new WriterIgnoresReadersDescriptor());

        // Smallest possible: the reader needs a step inside its section (a scheduling point while it is
        // counted inside), the writer needs only to get in.
        Assert.That(program.Threads, Has.Count.LessThanOrEqualTo(2), message);
        Assert.That(program.Operations, Is.LessThanOrEqualTo(5), message);
        Assert.That(message, Does.Contain("a thread entered the lock while another held it incompatibly").Or.Contain("hold the lock together"), message);
    }

    [Test]
    public void AnExitWriteThatKeepsTheFlagFailsThePropertyAndFsCheckShrinksTheProgram()
    {
        var (program, message) = ShrunkFailure(new ExitWriteKeepsFlagDescriptor());
        Assert.That(program.Threads, Has.Count.LessThanOrEqualTo(2), message);
        Assert.That(program.Operations, Is.LessThanOrEqualTo(4), message);
        Assert.That(message, Does.Contain(FailureKinds.StepBound).Or.Contain(FailureKinds.Deadlock), message);
    }

    /// <summary>Runs the property on a broken lock; checks the message and the replay; returns the shrunk program.</summary>
    private static (GeneratedProgram Program, string Message) ShrunkFailure(LockDescriptor lk)
    {
        CaseResult? last = null;
        var e = Assert.Catch(() => GeneratedProgramProperty.Check(lk, ProgramShape.Flat, 50, onFailure: r => last = r, seed: 12345));
        Assert.That(last, Is.Not.Null, $"the property never failed on {lk.Name}");
        var message = e!.Message;
        TestContext.Out.WriteLine(message);

        // The last failure the property saw is the shrunk program's; FsCheck's report carries its text.
        var program = GeneratedProgram.Parse(last!.Failure!.Program!);
        Assert.That(message, Does.Contain("program: " + program), message);
        Assert.That(message, Does.Contain($"replay: rwh1:{lk.Name}:generated:"), message);
        Assert.That(message, Does.Contain("#   1 T"), message);

        // The token re-runs the failing interleaving of the shrunk program.
        var replay = Explorer.Replay(ReplayToken.Parse(last.Failure.Replay), () => new GeneratedProgramScenario(program).Create<ControlledSync>(lk));
        Assert.That(replay.Kind, Is.EqualTo(last.Failure.Kind), replay.Describe());
        return (program, message);
    }

    [Test]
    public void TheFailureRecordCarriesTheProgram()
    {
        var program = GeneratedProgram.Parse("T0: EnterRead; Read; ExitRead | T1: EnterWrite; Write; ExitWrite");
        var r = GeneratedProgramProperty.FirstFailure(program, new WriterIgnoresReadersDescriptor())!;
        Assert.That(r.Verdict, Is.EqualTo(Verdicts.Fail));
        Assert.That(r.Failure!.Program, Is.EqualTo("T0: EnterRead; Read; ExitRead | T1: EnterWrite; Write; ExitWrite"));
        Assert.That(r.Failure.Kind, Is.EqualTo(FailureKinds.Invariant));
        Assert.That(r.Failure.Message, Does.Contain("a writer and 1 reader(s) hold the lock together"));
    }

    [Test]
    public void ProgramsPrintAndParseBack()
    {
        const string text = "T0: EnterRead; Read; EnterRead; ExitRead; ExitRead | T1: TryEnterWrite { Write; ExitWrite }; EnterWrite; ExitWrite";
        var p = GeneratedProgram.Parse(text);
        Assert.That(p.ToString(), Is.EqualTo(text));
        Assert.That(p.Operations, Is.EqualTo(10));
        Assert.That(p.HasNestedReads, Is.True);
        Assert.That(p.Threads[1].Sections[0].TryEnter, Is.True);
    }

    [TestCase("T0: EnterRead; Write; ExitRead")]
    [TestCase("T0: EnterRead; EnterWrite; ExitWrite; ExitRead")]
    [TestCase("T0: EnterWrite; ExitRead")]
    [TestCase("T0: EnterWrite")]
    [TestCase("T0: TryEnterRead; ExitRead")]
    [TestCase("T0: Read")]
    public void IllFormedProgramsDoNotParse(string text) => Assert.Throws<FormatException>(() => GeneratedProgram.Parse(text));

    [Test]
    public void GeneratedProgramsAreWellFormedAndWithinTheShape()
    {
        foreach (var shape in new[] { ProgramShape.Flat, new ProgramShape(AllowNestedReads: true) })
        {
            var sample = ProgramGenerator.Programs(shape).Sample(500, 20);
            foreach (var p in sample)
            {
                Assert.That(p.Threads, Has.Count.InRange(2, 4), p.ToString());
                Assert.That(p.Threads.Select(t => t.Operations), Has.All.InRange(2, 5), p.ToString());
                Assert.That(GeneratedProgram.Parse(p.ToString()).ToString(), Is.EqualTo(p.ToString()));
                if (!shape.AllowNestedReads)
                {
                    Assert.That(p.HasNestedReads, Is.False, p.ToString());
                }
            }
            Assert.That(sample.Any(p => p.ToString().Contains("TryEnter", StringComparison.Ordinal)), Is.True);
            Assert.That(sample.Any(p => p.ToString().Contains("Write;", StringComparison.Ordinal)), Is.True);
            Assert.That(sample.Any(p => p.HasNestedReads), Is.EqualTo(shape.AllowNestedReads));
        }
    }

    [Test]
    public void ShrinkCandidatesAreSmallerAndWellFormed()
    {
        foreach (var p in ProgramGenerator.Programs(new ProgramShape(AllowNestedReads: true)).Sample(200, 20))
        {
            foreach (var c in ProgramGenerator.Shrink(p))
            {
                Assert.That(c.Operations < p.Operations || (c.Operations == p.Operations && c.ToString().Length < p.ToString().Length), Is.True, $"{p} -> {c}");
                Assert.That(GeneratedProgram.Parse(c.ToString()).ToString(), Is.EqualTo(c.ToString()));
            }
        }
    }

    [Test]
    public void NestedReadsDoNotApplyToLocksWithoutRecursion()
    {
        var nested = new GeneratedProgramScenario(GeneratedProgram.Parse("T0: EnterRead; EnterRead; ExitRead; ExitRead | T1: EnterWrite; ExitWrite"));
        Assert.That(nested.Expect(ShippedLocks.Find("counter-negation")!).Kind, Is.EqualTo(ExpectationKind.NotApplicable));
        Assert.That(nested.Expect(ShippedLocks.Find("rwls-recursion")!).Kind, Is.EqualTo(ExpectationKind.Holds));
    }
}

/// <summary>The property behind <see cref="GeneratedProgramTests"/>: one FsCheck run over generated programs on one lock.</summary>
public static class GeneratedProgramProperty
{
    /// <summary>Programs per lock: RWH_FSCHECK_COUNT, else 50.</summary>
    public static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("RWH_FSCHECK_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 50;

    /// <summary>Programs with at most this many operations also get a bounded-exhaustive dfs.</summary>
    public const int DfsOperations = 8;

    /// <summary>Explores <paramref name="program"/> on <paramref name="lk"/>; null when every explored schedule holds, else the failing case with its program attached.</summary>
    public static CaseResult? FirstFailure(GeneratedProgram program, LockDescriptor lk)
    {
        var scenario = new GeneratedProgramScenario(program);
        var budgets = new List<CheckOptions>();
        if (program.Operations <= DfsOperations)
        {
            budgets.Add(new CheckOptions { Strategy = "dfs", Iterations = 1500, PreemptionBound = 2 });
        }
        budgets.Add(new CheckOptions { Strategy = "pct", Iterations = 100, Seed = 7 });
        foreach (var options in budgets)
        {
            var r = Explorer.Check(scenario, lk, options);
            if (r is null)
            {
                return null;
            }
            if (r.Verdict != Verdicts.Pass)
            {
                return scenario.Annotate(r);
            }
        }
        return null;
    }

    /// <summary>What a failing property prints: the program, the failure, the interleaving and the token.</summary>
    public static string Describe(CaseResult r)
    {
        var f = r.Failure!;
        // A livelock's trace runs to the step bound: keep its start and its end.
        IEnumerable<string> trace = f.Trace.Count <= 80
            ? f.Trace
            : [.. f.Trace.Take(40), $"   .. {f.Trace.Count - 60} steps elided ..", .. f.Trace.TakeLast(20)];
        return $"program: {f.Program}{Environment.NewLine}{r.Lock} [{r.Strategy}] {f.Kind}: {f.Message}{Environment.NewLine}"
            + string.Join(Environment.NewLine, trace) + $"{Environment.NewLine}replay: {f.Replay}";
    }

    /// <summary>Runs the property; throws (FsCheck's report, with the shrunk program and <see cref="Describe"/>'s text) when it fails.</summary>
    public static void Check(LockDescriptor lk, ProgramShape shape, int count, Action<CaseResult>? onFailure = null, ulong? seed = null)
    {
        var property = Prop.ForAll(ProgramGenerator.Arbitrary(shape), (GeneratedProgram p) =>
        {
            if (FirstFailure(p, lk) is { } r)
            {
                onFailure?.Invoke(r);
                throw new GeneratedProgramFailedException(Describe(r));
            }
        });
        var config = Config.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true);
        if (seed is { } s)
        {
            config = config.WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(new Replay(new Rnd(s, 0x9E3779B97F4A7C15UL), Microsoft.FSharp.Core.FSharpOption<int>.None)));
        }
        FsCheck.Check.One(config, property);
    }
}

/// <summary>Thrown by the property for a failing program; FsCheck reports the last (shrunk) one.</summary>
public sealed class GeneratedProgramFailedException(string message) : Exception(message);
