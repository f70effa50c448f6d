using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>
/// BRAVO's inhibition window on the real backend (BravoRwLock.Revoke): at least 20 us, doubling while the
/// bias is revoked sooner than it was kept off, halving once it lasts longer. Time is ManualClock.Now.
/// </summary>
[TestFixture]
[NonParallelizable] // ManualClock.Now is process-wide
public class BravoInhibitionTests
{
    private const long Us = 1_000;
    private const int SlowReadsPerClockCheck = 64; // BravoRwLock.ClockSampling

    private static BravoRwLock<ClockedRealSync<ManualClock>, CounterNegationRwLock<ClockedRealSync<ManualClock>>> NewLock() =>
        new(new CounterNegationRwLock<ClockedRealSync<ManualClock>>());

    /// <summary>Enough slow-path reads that one of them looks at the clock; returns whether the bias is back.</summary>
    private static bool BiasBackAt<TInner>(BravoRwLock<ClockedRealSync<ManualClock>, TInner> l, long now)
        where TInner : IRwLock
    {
        ManualClock.Now = now;
        for (var i = 0; i < SlowReadsPerClockCheck && !l.IsReadBiased; i++)
        {
            l.EnterRead();
            l.ExitRead();
        }
        return l.IsReadBiased;
    }

    private static void Write(BravoRwLock<ClockedRealSync<ManualClock>, CounterNegationRwLock<ClockedRealSync<ManualClock>>> l, long now)
    {
        ManualClock.Now = now;
        l.EnterWrite();
        l.ExitWrite();
    }

    [Test]
    public void The_window_doubles_while_writes_revoke_the_bias_at_once_and_shrinks_when_it_lasts()
    {
        var l = NewLock();
        var t = 1_000_000 * Us;
        Write(l, t); // first revocation: the bias had been on since creation, so the window stays at the 20 us floor
        Assert.Multiple(() =>
        {
            Assert.That(BiasBackAt(l, t + (20 * Us) - 1), Is.False, "inhibited for 20 us");
            Assert.That(BiasBackAt(l, t + (20 * Us)), Is.True, "back after 20 us");
        });

        t += 20 * Us;
        Write(l, t + Us); // on for 1 us < 20 us off: the window doubles
        Assert.Multiple(() =>
        {
            Assert.That(BiasBackAt(l, t + Us + (40 * Us) - 1), Is.False, "inhibited for 40 us");
            Assert.That(BiasBackAt(l, t + Us + (40 * Us)), Is.True);
        });

        t += 41 * Us;
        for (var window = 80 * Us; window < 1_000 * Us; window *= 2)
        {
            Write(l, t + Us); // revoked 1 us after every re-bias: 80, 160, 320, 640 us
            Assert.That(BiasBackAt(l, t + Us + window - 1), Is.False, $"inhibited for {window / Us} us");
            t += Us + window;
            Assert.That(BiasBackAt(l, t), Is.True, $"slow-path readers restore it after {window / Us} us");
        }

        Write(l, t + Us); // the window reaches its 1 ms cap: from here the restore timer brings the bias back
        t += Us + (1_000 * Us);
        Assert.Multiple(() =>
        {
            Assert.That(l.DescribeState(), Does.StartWith("RBias=-1 "), "inhibited until the timer");
            Assert.That(BiasBackAt(l, t - 1), Is.False, "capped at 1 ms, still inhibited just before");
        });
        ManualClock.Now = t;
        TestThreads.WaitUntil(() => l.IsReadBiased, "the restore timer to bring the bias back, with no reader");

        Write(l, t + (5_000 * Us)); // the bias lasted 5 ms > 1 ms off: the window halves, and readers restore again
        Assert.Multiple(() =>
        {
            Assert.That(l.DescribeState(), Does.StartWith("RBias=0 "));
            Assert.That(BiasBackAt(l, t + (5_000 * Us) + (500 * Us) - 1), Is.False, "inhibited for 500 us");
            Assert.That(BiasBackAt(l, t + (5_000 * Us) + (500 * Us)), Is.True);
        });
    }

    [TestCase(0L, 1L)]
    [TestCase(1L, 1L)]
    [TestCase(1_000_000L, 1L)]
    [TestCase(1_000_001L, 2L)]
    [TestCase(long.MaxValue, int.MaxValue)]
    public void The_restore_timer_is_due_in_whole_milliseconds_rounded_up(long ns, long ms) =>
        Assert.That(BravoRwLock<RealSync, RwMutexHandle>.DueMs(ns), Is.EqualTo(ms));

    /// <summary>
    /// At the cap, slow-path readers leave the bias to the restore timer. If the timer finds a writer holding the
    /// lock it must not restore the bias (the writer is inside), nor leave it off for good: it hands the job back
    /// to slow-path readers.
    /// </summary>
    [Test]
    public void A_restore_timer_that_meets_a_writer_hands_the_restore_to_readers()
    {
        var l = NewLock();
        var t = 1_000_000 * Us;
        Write(l, t); // 20 us
        for (var i = 0; i < 6; i++) // the window doubles to 40, 80, 160, 320, 640 us, then reaches its 1 ms cap
        {
            t += 1_000_000 * Us; // far past the last window
            Assert.That(BiasBackAt(l, t), Is.True);
            Write(l, t + Us); // revoked 1 us after the re-bias
            t += Us;
        }
        Assert.That(l.DescribeState(), Does.StartWith("RBias=-1 "), "at the cap");

        l.EnterWrite(); // the bias is off, so no revocation: the timer will find this writer inside
        ManualClock.Now = t + (1_000_000 * Us);
        TestThreads.WaitUntil(() => l.DescribeState().StartsWith("RBias=0 ", StringComparison.Ordinal), "the timer to hand the restore to readers");
        Assert.That(TestThreads.OnOtherThread(l.TryEnterRead), Is.False, "the writer is still inside");
        l.ExitWrite();
        Assert.That(BiasBackAt(l, ManualClock.Now), Is.True, "a slow-path reader restores it");
    }

    /// <summary>
    /// The paper restores the bias from a slow-path reader, relying on "I hold the read lock, so no writer does".
    /// Over a recursive inner lock that does not hold: a writer may take the read lock inside its write section
    /// (ReaderWriterLockSlim with SupportsRecursion allows write-then-read), and restoring the bias there would let
    /// fast-path readers in while the write lock is held. Checked over our adapter and over a lock BRAVO does not
    /// know (which it must assume recursive).
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void A_writer_reading_inside_its_own_write_section_never_restores_the_bias(bool unknownLock)
    {
        using var rwls = new RwlsAdapter<ClockedRealSync<ManualClock>>(LockRecursionPolicy.SupportsRecursion);
        var l = new BravoRwLock<ClockedRealSync<ManualClock>, IRwLock>(unknownLock ? new UserLock(rwls) : rwls);
        var t = 1_000_000 * Us;
        ManualClock.Now = t;
        l.EnterWrite(); // revokes the bias
        ManualClock.Now = t + (1_000_000 * Us); // long past the inhibition
        var misuse = TestThreads.OnOtherThread(() => Assert.Catch<SynchronizationLockException>(l.ExitWrite));
        Assert.That(misuse!.Message, Does.Contain("released without being held"), "another thread cannot exit this thread's write lock");
        for (var i = 0; i < 2 * SlowReadsPerClockCheck; i++)
        {
            l.EnterRead(); // write-then-read recursion: the inner lock lets it in
            l.ExitRead();
        }
        Assert.Multiple(() =>
        {
            Assert.That(l.IsReadBiased, Is.False, "the bias came back while this thread holds the write lock");
            Assert.That(TestThreads.OnOtherThread(l.TryEnterRead), Is.False, "another thread read inside the write section");
        });
        l.ExitWrite();
        Assert.That(BiasBackAt(l, ManualClock.Now), Is.True, "once the writer has left, slow-path readers restore it");
    }

    /// <summary>A lock type BRAVO has never seen (here it happens to be recursive).</summary>
    private sealed class UserLock(IRwLock inner) : IRwLock
    {
        public void EnterRead() => inner.EnterRead();

        public bool TryEnterRead() => inner.TryEnterRead();

        public void ExitRead() => inner.ExitRead();

        public void EnterWrite() => inner.EnterWrite();

        public bool TryEnterWrite() => inner.TryEnterWrite();

        public void ExitWrite() => inner.ExitWrite();
    }
}
