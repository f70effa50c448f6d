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
    private static bool BiasBackAt(BravoRwLock<ClockedRealSync<ManualClock>, CounterNegationRwLock<ClockedRealSync<ManualClock>>> l, long now)
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
        for (var i = 0; i < 10; i++)
        {
            Write(l, t + Us); // revoked 1 us after every re-bias
            t += Us + 1_000_000 * Us; // far past any window
            Assert.That(BiasBackAt(l, t), Is.True);
        }
        Write(l, t + Us);
        Assert.That(BiasBackAt(l, t + Us + (1_000 * Us) - 1), Is.False, "capped at 1 ms, still inhibited just before");
        Assert.That(BiasBackAt(l, t + Us + (1_000 * Us)), Is.True, "capped at 1 ms");

        t += Us + (1_000 * Us);
        Write(l, t + (5_000 * Us)); // the bias lasted 5 ms > 1 ms off: the window halves
        Assert.Multiple(() =>
        {
            Assert.That(BiasBackAt(l, t + (5_000 * Us) + (500 * Us) - 1), Is.False, "inhibited for 500 us");
            Assert.That(BiasBackAt(l, t + (5_000 * Us) + (500 * Us)), Is.True);
        });
    }
}
