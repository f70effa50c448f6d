namespace RwHarness.Locks.Tests;

/// <summary>
/// The slots BRAVO readers own on the real backend: a thread's identity names one slot no other live thread
/// holds, and a slot comes back when its thread ends.
/// </summary>
[TestFixture]
[NonParallelizable] // counts the process-wide pool of slot numbers
public class BravoThreadLocalsTests
{
    [Test]
    public void Each_live_thread_owns_a_distinct_slot()
    {
        var mine = BravoThreadLocals.Identity;
        Assert.That(mine, Is.Not.Zero);
        Assert.That(BravoThreadLocals.Identity, Is.EqualTo(mine), "stable on one thread");

        var others = new long[8];
        using var release = new ManualResetEventSlim();
        var started = TestThreads.Start(Enumerable.Range(0, others.Length).Select(i => (Action)(() =>
        {
            others[i] = BravoThreadLocals.Identity;
            release.Wait(); // all alive at once: their slots must all differ
        })).ToArray());
        TestThreads.WaitUntil(() => Enumerable.Range(0, others.Length).All(i => Volatile.Read(ref others[i]) != 0), "every thread took an identity");
        release.Set();
        TestThreads.JoinAll(started);

        var slots = others.Append(mine).Select(BravoThreadLocals.SlotOf).ToArray();
        Assert.That(slots, Is.All.InRange(1, BravoThreadLocals.Slots));
        Assert.That(slots, Is.Unique, "no two live threads share a slot");
    }

    [Test]
    public void A_slot_comes_back_when_its_thread_ends()
    {
        _ = BravoThreadLocals.Identity;
        GC.Collect(); // return the slots of threads earlier tests left behind first
        GC.WaitForPendingFinalizers();
        var before = BravoThreadLocals.Free;
        TestThreads.RunAll(Enumerable.Range(0, 4).Select(i => (Action)(() => _ = BravoThreadLocals.Identity)).ToArray());
        for (var i = 0; i < 50 && BravoThreadLocals.Free < before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(10);
        }
        Assert.That(BravoThreadLocals.Free, Is.EqualTo(before), "the ended threads' slots were returned");
    }

    [Test]
    public void Threads_beyond_the_table_read_through_the_inner_lock()
    {
        var l = new BravoRwMutex();
        // Return the slots of threads earlier tests left behind now, so none comes free halfway through.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var release = new ManualResetEventSlim();
        var holders = 0;
        // Take every free slot and keep it (the threads stay alive until release).
        var toTake = BravoThreadLocals.Free;
        var started = TestThreads.Start(Enumerable.Range(0, toTake).Select(i => (Action)(() =>
        {
            _ = BravoThreadLocals.Identity;
            Interlocked.Increment(ref holders);
            release.Wait();
        })).ToArray());
        try
        {
            TestThreads.WaitUntil(() => Volatile.Read(ref holders) == toTake, "every holder took a slot");
            var sawInner = TestThreads.OnOtherThread(() =>
            {
                if (BravoThreadLocals.Identity != 0)
                {
                    return "got a slot";
                }
                l.EnterRead();
                var state = l.Inner.DescribeState();
                var writerBlocked = !TestThreads.OnOtherThread(l.TryEnterWrite);
                l.ExitRead();
                return $"{state.Split(' ')[0]} writerBlocked={writerBlocked}";
            });
            Assert.That(sawInner, Is.EqualTo("readerCount=1 writerBlocked=True"));
            Assert.That(l.DescribeState(), Does.Contain("visibleReaders=[] ").And.Contain("| readerCount=0 "));
        }
        finally
        {
            release.Set();
            TestThreads.JoinAll(started);
        }
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
