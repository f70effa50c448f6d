using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>Go sync.RWMutex specifics: messages, RLocker, writer preference, state.</summary>
[TestFixture]
public class CounterNegationRwLockTests
{
    [Test]
    public void RUnlock_of_unlocked_RWMutex_has_Gos_message()
    {
        var rw = new RwMutex();
        var e = Assert.Throws<SynchronizationLockException>(rw.ExitRead);
        Assert.That(e!.Message, Is.EqualTo("sync: RUnlock of unlocked RWMutex"));
        rw.EnterWrite();
        e = Assert.Throws<SynchronizationLockException>(rw.ExitRead, "RUnlock while only the writer holds");
        Assert.That(e!.Message, Is.EqualTo("sync: RUnlock of unlocked RWMutex"));
        rw.ExitWrite();
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=0 readerWait=0 w.state=unlocked"));
    }

    [Test]
    public void Unlock_of_unlocked_RWMutex_has_Gos_message()
    {
        var rw = new RwMutex();
        var e = Assert.Throws<SynchronizationLockException>(rw.ExitWrite);
        Assert.That(e!.Message, Is.EqualTo("sync: Unlock of unlocked RWMutex"));
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=0 "));
    }

    [Test]
    public void State_uses_Gos_field_names()
    {
        var rw = new RwMutex();
        rw.EnterRead();
        Assert.That(rw.DescribeState(), Is.EqualTo("readerCount=1 readerWait=0 w.state=unlocked writerSem=0 readerSem=0"));
        rw.ExitRead();
        rw.EnterWrite();
        Assert.That(rw.DescribeState(), Is.EqualTo("readerCount=-1073741824 readerWait=0 w.state=locked writerSem=0 readerSem=0"));
        rw.ExitWrite();
    }

    [Test]
    public void RLocker_is_the_read_side_as_a_plain_lock()
    {
        var rw = new RwMutex();
        ILocker rl = rw.RLocker();
        Assert.That(rw.RLocker(), Is.SameAs(rl), "one view per lock, like Go's pointer conversion");
        rl.Enter();
        rl.Enter();
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=2 "));
        Assert.That(rw.TryEnterWrite(), Is.False);
        rl.Exit();
        rl.Exit();
        Assert.That(rw.TryEnterWrite(), Is.True);
        rw.ExitWrite();
    }

    [Test]
    public void Seed_004_same_thread_read_after_write_would_block()
    {
        // Holding the write lock, the same thread cannot get the read lock: RLock would wait forever.
        var rw = new RwMutex();
        rw.EnterWrite();
        Assert.That(rw.TryEnterRead(), Is.False);
        rw.ExitWrite();
    }

    [Test]
    public void A_pending_writer_excludes_new_readers()
    {
        var rw = new RwMutex();
        rw.EnterRead();
        var writerIn = new ManualResetEventSlim();
        var writer = TestThreads.Start(() =>
        {
            rw.EnterWrite();
            writerIn.Set();
            rw.ExitWrite();
        });
        TestThreads.WaitUntil(() => ReaderCount(rw) < 0, "the writer announced itself");
        Assert.That(writerIn.IsSet, Is.False, "the writer waits for the reader");
        Assert.That(TestThreads.OnOtherThread(() => rw.TryEnterRead()), Is.False, "new readers wait behind the pending writer");
        Assert.That(rw.DescribeState(), Does.Contain("readerWait=1"));
        rw.ExitRead();
        TestThreads.JoinAll(writer);
        Assert.That(writerIn.IsSet, Is.True);
    }

    [Test]
    public void Readers_blocked_by_a_writer_all_get_in_when_it_leaves()
    {
        var rw = new RwMutex();
        rw.EnterWrite();
        var entered = 0;
        var readers = TestThreads.Start(Enumerable.Range(0, 3).Select(_ => (Action)(() =>
        {
            rw.EnterRead();
            Interlocked.Increment(ref entered);
            rw.ExitRead();
        })).ToArray());
        TestThreads.WaitUntil(() => ReaderCount(rw) == -(1 << 30) + 3, "three readers are waiting");
        Assert.That(Volatile.Read(ref entered), Is.EqualTo(0));
        rw.ExitWrite();
        TestThreads.JoinAll(readers);
        Assert.That(entered, Is.EqualTo(3));
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=0 readerWait=0 w.state=unlocked"));
    }

    internal static int ReaderCount(IDescribeState l)
    {
        var s = l.DescribeState();
        var start = s.IndexOf("readerCount=", StringComparison.Ordinal) + "readerCount=".Length;
        var end = s.IndexOf(' ', start);
        return int.Parse(s[start..end], System.Globalization.CultureInfo.InvariantCulture);
    }
}
