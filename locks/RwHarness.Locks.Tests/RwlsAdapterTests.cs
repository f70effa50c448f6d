namespace RwHarness.Locks.Tests;

/// <summary>The ReaderWriterLockSlim adapter on the real backend: RWLS's own behaviour, unchanged.</summary>
[TestFixture]
public class RwlsAdapterTests
{
    [Test]
    public void NoRecursion_read_after_write_on_the_same_thread_throws_LockRecursionException()
    {
        using var l = new RwlsLock(LockRecursionPolicy.NoRecursion);
        l.EnterWrite();
        Assert.Throws<LockRecursionException>(l.EnterRead);
        Assert.Throws<LockRecursionException>(l.EnterWrite);
        l.ExitWrite();
        l.EnterRead();
        Assert.Throws<LockRecursionException>(l.EnterRead);
        l.ExitRead();
    }

    [Test]
    public void SupportsRecursion_read_after_write_on_the_same_thread_succeeds()
    {
        using var l = new RwlsLock(LockRecursionPolicy.SupportsRecursion);
        l.EnterWrite();
        l.EnterRead();
        l.EnterWrite();
        l.ExitWrite();
        l.ExitRead();
        Assert.That(TestThreads.OnOtherThread(l.TryEnterRead), Is.False, "still write-held");
        l.ExitWrite();
        l.EnterRead();
        l.EnterRead();
        l.ExitRead();
        l.ExitRead();
        Assert.That(l.RecursionPolicy, Is.EqualTo(LockRecursionPolicy.SupportsRecursion));
    }

    [Test]
    public void Exiting_on_another_thread_throws()
    {
        using var l = new RwlsLock();
        l.EnterRead();
        Assert.Throws<SynchronizationLockException>(() => TestThreads.RunAll(l.ExitRead));
        l.ExitRead();
    }

    [Test]
    public void Describes_counts()
    {
        using var l = new RwlsLock();
        l.EnterRead();
        Assert.That(l.DescribeState(), Does.StartWith("readers=1 "));
        l.ExitRead();
        Assert.That(l.DescribeState(), Does.StartWith("readers=0 "));
    }

    [Test]
    public void Readers_enter_past_a_writer_that_only_tries_so_RWLS_is_not_writer_preferring_under_the_engine()
    {
        // Under a controlled backend a waiting writer is a zero-timeout TryEnterWriteLock retried after
        // each exit; RWLS never registers it as waiting, so new readers keep entering ahead of it.
        using var l = new RwlsLock();
        l.EnterRead();
        Assert.That(TestThreads.OnOtherThread(() => l.TryEnterWrite()), Is.False, "the writer's attempt fails");
        Assert.That(TestThreads.OnOtherThread(() =>
        {
            var ok = l.TryEnterRead();
            if (ok)
            {
                l.ExitRead();
            }
            return ok;
        }), Is.True, "a new reader still gets in");
        l.ExitRead();
    }
}
