namespace RwHarness.Locks.Tests;

/// <summary>The identities BRAVO readers publish on the real backend: nonzero, stable per thread, distinct across threads.</summary>
[TestFixture]
public class BravoThreadLocalsTests
{
    [Test]
    public void Each_thread_has_its_own_stable_nonzero_identity()
    {
        var mine = BravoThreadLocals.Identity;
        Assert.That(mine, Is.Not.Zero);
        Assert.That(BravoThreadLocals.Identity, Is.EqualTo(mine), "stable on one thread");

        var others = new long[8];
        var threads = Enumerable.Range(0, others.Length)
            .Select(i => new Thread(() => others[i] = BravoThreadLocals.Identity))
            .ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }
        foreach (var t in threads)
        {
            t.Join();
        }
        Assert.That(others, Has.None.Zero);
        Assert.That(others.Append(mine), Is.Unique, "distinct across threads");
    }

    [Test]
    public void The_production_lock_exposes_its_inner_rwmutex()
    {
        var l = new BravoRwMutex();
        l.EnterWrite();
        Assert.That(l.Inner.TryEnterRead(), Is.False, "the write lock is held on the inner RwMutex");
        l.ExitWrite();
        Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=0 readerWait=0 w.state=unlocked"));
    }
}
