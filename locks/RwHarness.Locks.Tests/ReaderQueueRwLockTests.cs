using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>Go runtime rwmutex specifics: messages, the parked-reader queue, readerPass.</summary>
[TestFixture]
public class ReaderQueueRwLockTests
{
    [Test]
    public void Runlock_of_unlocked_rwmutex_has_the_runtimes_message()
    {
        var rw = new RuntimeRwMutex();
        var e = Assert.Throws<SynchronizationLockException>(rw.ExitRead);
        Assert.That(e!.Message, Is.EqualTo("runlock of unlocked rwmutex"));
        rw.EnterWrite();
        e = Assert.Throws<SynchronizationLockException>(rw.ExitRead);
        Assert.That(e!.Message, Is.EqualTo("runlock of unlocked rwmutex"));
        rw.ExitWrite();
    }

    [Test]
    public void Unlock_of_unlocked_rwmutex_has_the_runtimes_message()
    {
        var rw = new RuntimeRwMutex();
        var e = Assert.Throws<SynchronizationLockException>(rw.ExitWrite);
        Assert.That(e!.Message, Is.EqualTo("unlock of unlocked rwmutex"));
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=0 "));
    }

    [Test]
    public void State_uses_the_runtimes_field_names()
    {
        var rw = new RuntimeRwMutex();
        Assert.That(rw.DescribeState(), Is.EqualTo(
            "readerCount=0 readerWait=0 readerPass=0 readers=[] writer=nil wLock.state=unlocked rLock.state=unlocked"));
        rw.EnterWrite();
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=-1073741824 readerWait=0 readerPass=0 readers=[] writer=nil wLock.state=locked"));
        rw.ExitWrite();
    }

    [Test]
    public void RLocker_is_the_read_side_as_a_plain_lock()
    {
        var rw = new RuntimeRwMutex();
        ILocker rl = rw.RLocker();
        rl.Enter();
        Assert.That(rw.TryEnterWrite(), Is.False);
        Assert.That(rw.TryEnterRead(), Is.True);
        rw.ExitRead();
        rl.Exit();
        Assert.That(rw.TryEnterWrite(), Is.True);
        rw.ExitWrite();
    }

    [Test]
    public void Queued_readers_are_woken_and_counted_but_unqueued_ones_pass()
    {
        // Three readers arrive while the writer holds. Each is either queued (woken by the unlock) or
        // still on its way to rLock (and then skips the queue through readerPass). Either way all get
        // in, and readerPass is used up exactly.
        var rw = new RuntimeRwMutex();
        rw.EnterWrite();
        var entered = 0;
        var readers = TestThreads.Start(Enumerable.Range(0, 3).Select(_ => (Action)(() =>
        {
            rw.EnterRead();
            Interlocked.Increment(ref entered);
            rw.ExitRead();
        })).ToArray());
        TestThreads.WaitUntil(() => CounterNegationRwLockTests.ReaderCount(rw) == -(1 << 30) + 3, "three readers have arrived");
        Assert.That(Volatile.Read(ref entered), Is.EqualTo(0));
        rw.ExitWrite();
        TestThreads.JoinAll(readers);
        Assert.That(entered, Is.EqualTo(3));
        Assert.That(rw.DescribeState(), Is.EqualTo(
            "readerCount=0 readerWait=0 readerPass=0 readers=[] writer=nil wLock.state=unlocked rLock.state=unlocked"));
    }

    [Test]
    public void A_writer_waits_for_readers_then_is_woken_by_the_last()
    {
        var rw = new RuntimeRwMutex();
        rw.EnterRead();
        var writerIn = new ManualResetEventSlim();
        var writer = TestThreads.Start(() =>
        {
            rw.EnterWrite();
            writerIn.Set();
            rw.ExitWrite();
        });
        TestThreads.WaitUntil(() => rw.DescribeState().Contains("writer=test-0", StringComparison.Ordinal), "the writer parked");
        Assert.That(writerIn.IsSet, Is.False);
        Assert.That(rw.DescribeState(), Does.Contain("readerWait=1"));
        rw.ExitRead();
        TestThreads.JoinAll(writer);
        Assert.That(writerIn.IsSet, Is.True);
    }

    /// <summary>
    /// The real backend's wait before queueing (ReaderQueueRwLock.RealBackend.cs) is bounded: a reader that meets a
    /// write longer than the wait stops waiting and queues as in Go, and the unlock wakes it. (The writer's wait is
    /// bounded too: A_writer_waits_for_readers_then_is_woken_by_the_last waits for the writer to park.)
    /// </summary>
    [Test]
    public void A_reader_meeting_a_long_write_stops_waiting_and_queues()
    {
        var rw = new RuntimeRwMutex();
        rw.EnterWrite();
        var reader = TestThreads.Start(() =>
        {
            rw.EnterRead();
            rw.ExitRead();
        });
        RwHarness.Model.IReaderQueueIntrospection q = rw;
        TestThreads.WaitUntil(() => q.QueuedReaders == 1, "the reader gave up waiting and queued");
        rw.ExitWrite();
        TestThreads.JoinAll(reader);
        Assert.That(rw.DescribeState(), Is.EqualTo(
            "readerCount=0 readerWait=0 readerPass=0 readers=[] writer=nil wLock.state=unlocked rLock.state=unlocked"));
    }

    /// <summary>
    /// Real threads, short writes: readers that meet a writer and writers that meet readers mostly finish their wait
    /// before queueing or parking (both paths must be taken, or this test proves nothing about them), and still no
    /// reader is ever inside with the writer and every readerPass is used up. A wait that returned on seeing a pass
    /// without taking it under rLock fails here (checked by breaking it).
    /// </summary>
    [Test]
    public void Waiting_before_queueing_keeps_readers_out_of_writes_and_uses_every_pass()
    {
        Assume.That(Environment.ProcessorCount, Is.GreaterThan(1), "the waits, like Go's spinning, run only on a multiprocessor");
        var rw = new RuntimeRwMutex();
        const int Writes = 20_000;
        var watch = new OverlapWatch();

        void Reader()
        {
            for (var i = 0L; i < 2_000_000_000L && !watch.WriterDone; i++)
            {
                rw.EnterRead();
                watch.ReaderInside();
                rw.ExitRead();
            }
        }

        void Writer()
        {
            for (var i = 0; i < Writes; i++)
            {
                rw.EnterWrite();
                watch.WriterInside(spins: 4); // shorter than the readers' wait, so most of them see the unlock
                rw.ExitWrite();
                Thread.SpinWait(20);
            }
            watch.WriterDone = true;
        }

        TestThreads.RunAll(Reader, Reader, Writer);
        var passes = rw.ReaderSpinPasses;
        var waits = rw.WriterSpinWaits;
        TestContext.Out.WriteLine($"readers passed after waiting: {passes}, writers found readers gone after waiting: {waits}");
        Assert.That(watch.Overlaps, Is.Zero, "a reader was inside with the writer");
        // writer= keeps the last writer that parked (Go never clears it); everything else must be back at rest.
        Assert.That(rw.DescribeState(), Does.StartWith("readerCount=0 readerWait=0 readerPass=0 readers=[] writer=")
            .And.EndWith(" wLock.state=unlocked rLock.state=unlocked"));
        Assert.That(passes, Is.GreaterThan(0), "no reader ever got its pass by waiting: the path was not exercised");
        Assert.That(waits, Is.GreaterThan(0), "no writer ever saw its readers leave while waiting: the path was not exercised");
    }
}
