namespace RwHarness.Locks.Tests;

/// <summary>
/// The slots BRAVO readers own on the real backend: a thread's identity names one slot no other live thread
/// holds, and a slot is handed on once its thread has ended.
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
    public void Slots_of_ended_threads_are_handed_on_without_a_GC()
    {
        // More short-lived threads than there are slots, with no collection in between (a thread pool's churn
        // in a process that hardly allocates): each must still get a slot.
        var identities = new long[3 * BravoThreadLocals.Slots];
        for (var i = 0; i < identities.Length; i++)
        {
            TestThreads.RunAll(() => identities[i] = BravoThreadLocals.Identity);
        }
        Assert.That(identities, Has.None.Zero, "every thread got a slot");
        Assert.That(identities, Is.Unique, "identities are never reused, even when slot numbers are");
    }

    [Test]
    public void A_late_finalizer_never_frees_a_slot_that_was_handed_on()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var release = new ManualResetEventSlim();
        // One thread takes a slot and ends; its lease is still waiting for the GC.
        long ended = 0;
        TestThreads.RunAll(() => ended = BravoThreadLocals.Identity);
        // Live holders take every other number and then the ended thread's, so the last holder is handed it on.
        var toTake = BravoSlotPool.Free;
        var taken = new long[toTake];
        var holders = 0;
        var started = TestThreads.Start(Enumerable.Range(0, toTake).Select(i => (Action)(() =>
        {
            taken[i] = BravoThreadLocals.Identity;
            Interlocked.Increment(ref holders);
            release.Wait();
        })).ToArray());
        try
        {
            TestThreads.WaitUntil(() => Volatile.Read(ref holders) == toTake, "every holder took a slot");
            Assert.That(taken.Select(BravoThreadLocals.SlotOf), Does.Contain(BravoThreadLocals.SlotOf(ended)), "the ended thread's number was handed on");
            // Now the ended thread's lease is finalized: it must not give back the number its successor holds.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.That(BravoSlotPool.Free, Is.Zero);
            Assert.That(TestThreads.OnOtherThread(() => BravoThreadLocals.Identity), Is.Zero, "every number is held by a live thread");
        }
        finally
        {
            release.Set();
            TestThreads.JoinAll(started);
        }
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
        var toTake = BravoSlotPool.Free;
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
