namespace RwHarness.Locks;

/// <summary>
/// BRAVO's inhibition on the real backend: where it departs from the paper for speed, each change measured by
/// scenarios/RwHarness.Benchmarks (docs/benchmarks.md). Controlled backends (the engine, Coyote) never run this
/// code: they explore the paper's formula, N x the revocation's cost on their logical clock, with slow-path
/// readers restoring the bias.
/// </summary>
public partial class BravoRwLock<TSync, TInner>
{
    /// <summary>Real backend only: a slow-path reader reads the clock once per this many slow-path reads (see <see cref="ReenableBias"/>).</summary>
    private const int ClockSampling = 64;

    /// <summary>
    /// Real backend only: the shortest inhibition, ns (see <see cref="Revoke"/>). The paper's N x (scan time)
    /// alone was about 1.5 us here, which let a writer revoke every ~45 operations at 90 % reads.
    /// </summary>
    private const long MinInhibitNs = 20_000;

    /// <summary>Real backend only: the longest inhibition the adaptive window grows to, ns (see <see cref="Revoke"/>).</summary>
    private const long MaxInhibitNs = 1_000_000;

    // Real backend only (see Revoke): when the bias was last switched on, and the current inhibition window.
    // Written by the revoking writer (which holds the inner write lock, so one at a time) and by re-biasing readers.
    private long biasOnSince;
    private long inhibitWindowNs = MinInhibitNs;

    // Real backend only: brings the bias back when InhibitedUntilTimer (see Revoke). Created by the first revoking
    // writer that needs it; its state is a weak reference, so a pending timer never keeps an unused lock alive.
    private Timer? restoreTimer;

    // Diagnostics only: restores done by the timer (its callbacks may overlap, hence Interlocked).
    private long timerRestores;

    /// <summary>
    /// Real backend: sets the inhibition window for the revocation starting at <paramref name="start"/> and says
    /// whether the restore timer, rather than slow-path readers, should bring the bias back.
    /// </summary>
    /// <remarks>
    /// Deviation from the paper, for speed on the real backend (issue 3; measured by
    /// scenarios/RwHarness.Benchmarks, 2 threads at 99 % and 90 % reads): the scan is all a writer times,
    /// ~100-300 ns here, but each revocation costs the readers more than that (their slot lines and RBias's line
    /// move to the writer's core and back, and readers that met the cleared bias queue on the inner lock). With
    /// only N x scan time of inhibition, frequent writers revoked ~40 times more often and BRAVO ran 2-3x slower
    /// than the lock it wraps. A floor of MinInhibitNs keeps revocations rare under frequent writes and costs rare
    /// writers nothing measurable (the bias is back 20 us after a write). Controlled backends keep the paper's
    /// formula on their logical clock.
    /// <para>
    /// The window adapts between MinInhibitNs and MaxInhibitNs: if the bias was on for less time than it was last
    /// kept off, readers gained less from it than revoking cost, so the window doubles; otherwise it halves. At
    /// 90 % reads on 2 threads, where the bias never survives more than a few operations, a fixed 20 us window
    /// still made BRAVO ~25 % slower than the same lock with the bias kept off.
    /// </para>
    /// <para>
    /// Once the window is at its cap, writes come faster than the bias can pay for itself, and then even the
    /// paper's restore check costs: a slow-path reader's sampling counter and clock check made every slow-path
    /// read pair about 2-3 ns dearer than the inner lock's at two threads (plain-loop measurement), about 15 %
    /// of a contended read. So at the cap the bias goes to InhibitedUntilTimer, slow-path readers leave it
    /// alone, and a one-shot timer restores it after the window (timer resolution, about 1 ms, is the cap's
    /// size anyway). Under the cap, readers restore it as in the paper, within microseconds.
    /// </para>
    /// </remarks>
    private bool AdaptWindow(long start)
    {
        var onFor = start - Volatile.Read(ref biasOnSince);
        inhibitWindowNs = onFor < inhibitWindowNs
            ? Math.Min(inhibitWindowNs * 2, MaxInhibitNs)
            : Math.Max(inhibitWindowNs / 2, MinInhibitNs);
        return inhibitWindowNs == MaxInhibitNs;
    }

    /// <summary>Real backend: restore the bias once <paramref name="inhibitNs"/> has passed (the revoking writer, holding the write lock).</summary>
    private void ArmRestoreTimer(long inhibitNs)
    {
        if (restoreTimer is null)
        {
            // Not the writer's execution context (its async-locals) on a thread-pool thread; a weak reference, so a
            // pending timer does not keep a lock nobody uses alive.
            using (ExecutionContext.SuppressFlow())
            {
                restoreTimer = new Timer(
                    static state =>
                    {
                        if (((WeakReference<BravoRwLock<TSync, TInner>>)state!).TryGetTarget(out var l))
                        {
                            l.RestoreOnTimer();
                        }
                    },
                    new WeakReference<BravoRwLock<TSync, TInner>>(this),
                    Timeout.Infinite,
                    Timeout.Infinite);
            }
        }
        restoreTimer.Change(DueMs(inhibitNs), Timeout.Infinite);
    }

    /// <summary>
    /// The timer's due time for <paramref name="ns"/>: whole milliseconds rounded up, at least 1 (its resolution), at most
    /// what Timer.Change accepts (an inhibition of weeks, after a writer preempted for days, must not throw inside the write lock).
    /// </summary>
    internal static long DueMs(long ns) => ns <= 0 ? 1 : Math.Min(((ns - 1) / 1_000_000) + 1, int.MaxValue);

    /// <summary>The restore timer's callback, on a thread-pool thread (real backend).</summary>
    private void RestoreOnTimer()
    {
        if (TSync.Load(ref RBias) != InhibitedUntilTimer)
        {
            return; // restored already, or revoked by TryEnterWrite (readers restore that one)
        }
        var now = TSync.Nanotime();
        var until = TSync.Load(ref InhibitUntil);
        if (now < until)
        {
            restoreTimer!.Change(DueMs(until - now), Timeout.Infinite); // the timer's clock ran ahead of ours
            return;
        }
        if (!inner.TryEnterRead())
        {
            // A writer holds or waits for the lock. Hand the restore to slow-path readers (both values mean "off",
            // so this needs no lock): the next one past the inhibition, holding the read lock, restores the bias,
            // and a writer that revokes again chooses afresh.
            TSync.CompareExchange(ref RBias, Inhibited, InhibitedUntilTimer);
            return;
        }
        // Holding the read lock, so no writer is inside or revoking: the paper's condition for a restoring reader
        // (this thread never holds the write lock, so the recursion case of ReenableBias cannot arise).
        if (TSync.Load(ref RBias) == InhibitedUntilTimer)
        {
            SwitchBiasOn(now);
            Interlocked.Increment(ref timerRestores);
        }
        inner.ExitRead();
    }

    /// <summary>How many times the restore timer brought the bias back (diagnostics, real backend).</summary>
    internal long TimerRestores => Volatile.Read(ref timerRestores); // a plain read: a locked one would write the lock's line
}
