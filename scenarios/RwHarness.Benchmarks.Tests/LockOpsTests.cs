using NUnit.Framework;

namespace RwHarness.Benchmarks.Tests;

/// <summary>The benchmark's per-lock operations do what their names say, so a fast number is not a skipped lock.</summary>
public sealed class LockOpsTests
{
    private const int Rounds = 2_000;

    /// <summary>
    /// Two threads each alternate a read section and a write pair on one lock. Each section must run once per
    /// read, and every read must release what it took: a read left held blocks the other thread's write (or, for
    /// ReaderWriterLockSlim, makes the same thread's write throw), which fails the join's timeout.
    /// </summary>
    [TestCaseSource(typeof(LockUnderTest), nameof(LockUnderTest.UncontendedLocks))]
    public void Read_sections_run_their_body_once_and_release_the_lock(string name)
    {
        using var target = new LockUnderTest(name);
        var runs = new long[2];
        var errors = new Exception?[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            try
            {
                runs[t] = target.Run(new ReadThenWrite());
            }
            catch (Exception e)
            {
                errors[t] = e;
            }
        })
        { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            Assert.That(thread.Join(TimeSpan.FromSeconds(30)), Is.True, $"{name}: a thread never finished (a read not released?)");
        }
        Assert.That(errors, Is.All.Null, name);
        Assert.That(runs, Is.All.EqualTo(Rounds), $"{name}: sections run per thread");
    }

    private readonly struct ReadThenWrite : ILockBody
    {
        public long Run<TOps>(TOps ops)
            where TOps : struct, ILockOps
        {
            var section = default(CountingSection);
            for (var i = 0; i < Rounds; i++)
            {
                ops.Read(ref section);
                ops.EnterWrite();
                ops.ExitWrite();
            }
            return section.Runs;
        }
    }

    private struct CountingSection : IReadSection
    {
        public long Runs;

        public void Run() => Runs++;
    }
}
