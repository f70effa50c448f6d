using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>The Go runtime's mutex (lock2/unlock2), rLock and wLock of the reader-queue lock.</summary>
[TestFixture]
public class RuntimeMutexTests
{
    private sealed class Holder
    {
        public RuntimeMutex<RealSync> m = new("m");
        public long counter;
    }

    [Test]
    public void Lock_TryLock_Unlock_on_one_thread()
    {
        var h = new Holder();
        Assert.That(h.m.TryLock(), Is.True);
        Assert.That(h.m.Describe(), Is.EqualTo("locked"));
        Assert.That(h.m.TryLock(), Is.False, "TryLock of a locked mutex");
        h.m.Unlock();
        Assert.That(h.m.Describe(), Is.EqualTo("unlocked"));
        h.m.Lock();
        Assert.That(h.m.Describe(), Is.EqualTo("locked"));
        h.m.Unlock();
    }

    [Test]
    public void Unlock_of_unlocked_mutex_throws_the_runtimes_message_and_keeps_the_mutex_usable()
    {
        var h = new Holder();
        var e = Assert.Throws<SynchronizationLockException>(h.m.Unlock);
        Assert.That(e!.Message, Is.EqualTo("unlock of unlocked lock"));
        Assert.That(h.m.Describe(), Is.EqualTo("unlocked"));
        h.m.Lock();
        h.m.Unlock();
    }

    [Test]
    public void A_contender_that_went_to_sleep_is_woken_by_unlock()
    {
        var h = new Holder();
        h.m.Lock();
        var acquired = new ManualResetEventSlim();
        var contender = new Thread(() =>
        {
            h.m.Lock();
            h.counter++;
            h.m.Unlock();
            acquired.Set();
        })
        { IsBackground = true };
        contender.Start();

        // lock2 spins, yields, then marks the key sleeping before it sleeps.
        TestThreads.WaitUntil(() => h.m.Describe() == "sleeping", "the contender reached the sleeping state");
        Assert.That(acquired.IsSet, Is.False, "it must not get the lock while we hold it");

        h.m.Unlock(); // unlock2 sees mutex_sleeping and wakes one sleeper
        Assert.That(acquired.Wait(TimeSpan.FromSeconds(10)), Is.True, "the sleeper was woken and took the lock");
        contender.Join();
        Assert.Multiple(() =>
        {
            Assert.That(h.counter, Is.EqualTo(1));
            Assert.That(h.m.Describe(), Is.EqualTo("unlocked"));
        });
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
}
