using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

[TestFixture]
public class GoMutexTests
{
    private sealed class Holder
    {
        public GoMutex<RealSync> m = new("m");
        public long counter;
    }

    [Test]
    public void Lock_TryLock_Unlock_on_one_thread()
    {
        var h = new Holder();
        Assert.That(h.m.TryLock(), Is.True);
        Assert.That(h.m.IsLocked, Is.True);
        Assert.That(h.m.TryLock(), Is.False, "TryLock of a locked mutex");
        h.m.Unlock();
        Assert.That(h.m.IsLocked, Is.False);
        h.m.Lock();
        Assert.That(h.m.Describe(), Is.EqualTo("locked"));
        h.m.Unlock();
        Assert.That(h.m.Describe(), Is.EqualTo("unlocked"));
    }

    [Test]
    public void Unlock_of_unlocked_mutex_throws_Gos_message_and_keeps_the_mutex_usable()
    {
        var h = new Holder();
        var e = Assert.Throws<SynchronizationLockException>(h.m.Unlock);
        Assert.That(e!.Message, Is.EqualTo("sync: unlock of unlocked mutex"));
        Assert.That(h.m.Describe(), Is.EqualTo("unlocked"));
        h.m.Lock();
        h.m.Unlock();
    }

    [Test]
    public void Default_mutex_works_without_a_name()
    {
        var h = new DefaultHolder();
        h.m.Lock();
        Assert.That(h.m.TryLock(), Is.False);
        h.m.Unlock();
    }

    private sealed class DefaultHolder
    {
        public GoMutex<RealSync> m;
    }

    [Test]
    public void Excludes_on_real_threads()
    {
        const int threads = 4;
        const int iterations = 50_000;
        var h = new Holder();
        var overlaps = TestThreads.OverlapsUnder(threads, iterations, () => h.m.Lock(), () => h.m.TryLock(), () => h.m.Unlock(), () => h.counter++);
        Assert.That(overlaps, Is.EqualTo(0));
        Assert.That(h.counter, Is.EqualTo((long)threads * iterations));
        Assert.That(h.m.Describe(), Is.EqualTo("unlocked"));
    }

    private sealed class SkewedHolder
    {
        public GoMutex<ClockedRealSync<SkewedClock>> m = new("m");
        public long counter;
    }

    [Test]
    public void Excludes_in_starvation_mode_on_real_threads()
    {
        // Every sleeper counts as starving (the clock jumps 2 ms per reading), so ownership is handed
        // off through the semaphore and the mutex switches in and out of starvation mode.
        const int threads = 4;
        const int iterations = 20_000;
        var h = new SkewedHolder();
        var inside = 0;
        var overlaps = 0;
        var sawStarving = 0;
        var start = new Barrier(threads);
        var bodies = Enumerable.Range(0, threads).Select(_ => (Action)(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < iterations; i++)
            {
                h.m.Lock();
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                if (h.m.Describe().Contains("starving", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref sawStarving);
                }
                h.counter++;
                Interlocked.Decrement(ref inside);
                h.m.Unlock();
            }
        })).ToArray();
        TestThreads.RunAll(bodies);
        Assert.That(overlaps, Is.EqualTo(0));
        Assert.That(h.counter, Is.EqualTo((long)threads * iterations));
        Assert.That(h.m.Describe(), Is.EqualTo("unlocked"), "starvation mode was left with the last waiter");
        TestContext.Out.WriteLine($"critical sections that saw starvation mode: {sawStarving}");
    }
}
