using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>BRAVO: the reader fast path, revocation, and the bias coming back.</summary>
[TestFixture]
public class BravoRwLockTests
{
    [Test]
    public void A_biased_reader_skips_the_inner_lock()
    {
        var l = new BravoRwMutex();
        Assert.That(l.IsReadBiased, Is.True, "starts read-biased");
        l.EnterRead();
        Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=0 "), "the inner counter was not touched");
        Assert.That(l.DescribeState(), Does.Match(@"visibleReaders=\[\d+\]"));
        l.ExitRead();
        Assert.That(l.DescribeState(), Does.Contain("visibleReaders=[]"));
    }

    [Test]
    public void A_writer_revokes_the_bias_and_readers_then_use_the_inner_lock()
    {
        var l = new BravoRwMutex();
        l.EnterWrite();
        Assert.That(l.IsReadBiased, Is.False);
        l.ExitWrite();
        if (!l.IsReadBiased)
        {
            // Inhibited: this reader goes through the inner lock.
            l.EnterRead();
            Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=1 "));
            l.ExitRead();
        }
        Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=0 "));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Writer_waits_for_a_reader_in_the_table(bool failedTryFirst)
    {
        var l = new BravoRwMutex();
        var readerIn = new ManualResetEventSlim();
        var releaseReader = new ManualResetEventSlim();
        var readerHolding = 0;
        var writerSawReader = -1;

        var reader = TestThreads.Start(() =>
        {
            l.EnterRead();
            Volatile.Write(ref readerHolding, 1);
            readerIn.Set();
            releaseReader.Wait();
            Volatile.Write(ref readerHolding, 0);
            l.ExitRead();
        });
        Assert.That(readerIn.Wait(TestThreads.JoinTimeout), Is.True);
        Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=0 "), "the reader took the fast path");

        if (failedTryFirst)
        {
            // A failed TryEnterWrite must leave the bias (and so the next writer's revocation) intact.
            Assert.That(TestThreads.OnOtherThread(l.TryEnterWrite), Is.False);
            Assert.That(l.IsReadBiased, Is.True);
        }

        var writer = TestThreads.Start(() =>
        {
            l.EnterWrite();
            Volatile.Write(ref writerSawReader, Volatile.Read(ref readerHolding));
            l.ExitWrite();
        });
        // The writer holds the inner lock and has revoked the bias: it is now waiting for the table.
        TestThreads.WaitUntil(() => !l.IsReadBiased, "the writer revoked the bias");
        Assert.That(Volatile.Read(ref writerSawReader), Is.EqualTo(-1), "the writer must not enter while the reader holds");
        releaseReader.Set();
        TestThreads.JoinAll(reader);
        TestThreads.JoinAll(writer);
        Assert.That(writerSawReader, Is.EqualTo(0), "the writer entered only after the reader left");
    }

    [Test]
    public void TryEnterWrite_fails_rather_than_wait_for_a_biased_reader()
    {
        var l = new BravoRwMutex();
        l.EnterRead();
        Assert.That(TestThreads.OnOtherThread(l.TryEnterWrite), Is.False);
        Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=0 readerWait=0 w.state=unlocked"), "the inner write lock was given back");
        l.ExitRead();
        Assert.That(l.TryEnterWrite(), Is.True);
        l.ExitWrite();
    }

    [Test]
    public void The_bias_comes_back_after_the_inhibition()
    {
        var l = new BravoRwMutex();
        l.EnterWrite();
        l.ExitWrite();
        Assert.That(l.IsReadBiased, Is.False);
        // InhibitUntil is 9 revocation times away (microseconds); slow-path readers re-enable the bias
        // once it has passed. Bounded by an iteration count, not a clock.
        for (var i = 0; i < 50_000_000 && !l.IsReadBiased; i++)
        {
            l.EnterRead();
            l.ExitRead();
        }
        Assert.That(l.IsReadBiased, Is.True);
        l.EnterRead();
        Assert.That(l.Inner.DescribeState(), Does.StartWith("readerCount=0 "), "fast path again");
        l.ExitRead();
    }

    [Test]
    public void Works_over_every_go_style_inner_lock()
    {
        var overQueue = new BravoRwLock<RealSync, RuntimeRwMutex>(new RuntimeRwMutex());
        overQueue.EnterRead();
        Assert.That(TestThreads.OnOtherThread(overQueue.TryEnterWrite), Is.False);
        overQueue.ExitRead();
        overQueue.EnterWrite();
        Assert.That(TestThreads.OnOtherThread(overQueue.TryEnterRead), Is.False);
        overQueue.ExitWrite();
        Assert.That(overQueue.DescribeState(), Does.Contain("| readerCount=0 "));
    }

    [Test]
    public void Misuse_reaches_the_inner_lock_and_throws()
    {
        var l = new BravoRwMutex();
        var e = Assert.Throws<SynchronizationLockException>(l.ExitRead);
        Assert.That(e!.Message, Is.EqualTo("sync: RUnlock of unlocked RWMutex"));
        e = Assert.Throws<SynchronizationLockException>(l.ExitWrite);
        Assert.That(e!.Message, Is.EqualTo("sync: Unlock of unlocked RWMutex"));
    }
}
