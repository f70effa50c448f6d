using System.Runtime.CompilerServices;
using System.Text;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// BRAVO (Dice and Kogan, "BRAVO — Biased Locking for Reader-Writer Locks", USENIX ATC 2019) over any
/// <see cref="IRwLock"/> built on the same backend. While the lock is read-biased (<c>RBias</c>), a
/// reader publishes itself in a slot of the visible-readers table and never touches the inner lock's
/// shared counter, so readers on different cores write different cache lines. A writer takes the inner
/// write lock, revokes the bias and waits for the table to drain; the bias may come back (set by a
/// reader on the slow path) only after <c>InhibitUntil</c> = now + N x (time the revocation took), N = 9.
/// On the real backend the inhibition adapts to the write rate, and while writes are frequent a timer
/// restores the bias instead of the readers (see <see cref="AdaptWindow"/>).
/// </summary>
/// <remarks>
/// <para>
/// Deviations from the paper. For the harness: the table belongs to the lock (64 padded slots) instead of
/// being one global table shared by all locks, so one execution's leftovers never change another's schedule.
/// For speed (issue 3): the paper's reader hashes itself onto a slot and claims it with a compare-and-swap,
/// one atomic read-modify-write per read (about 5 ns here, most of the fast path). Here each thread owns a slot
/// number outright (<see cref="BravoThreadLocals"/>; a controlled backend's thread number), so a reader
/// publishes itself with a plain store and only the rare revoking writer pays for the store-load fence the
/// Dekker handshake needs, as a process-wide barrier (<see cref="Interlocked.MemoryBarrierProcessWide"/>, the
/// asymmetric-fence technique of folly's hazard pointers and Linux membarrier users). A slot holds the reader's
/// identity, so a reader that went to the inner lock (a nested read, or no slot) knows it at ExitRead.
/// </para>
/// <para>
/// The read side is bound to threads: ExitRead must run on the thread that entered. Not
/// writer-preferring: while the bias is on, readers enter through the table even when a writer waits
/// for the inner lock. Every shared access goes through TSync.
/// </para>
/// </remarks>
/// <typeparam name="TInner">
/// The lock underneath: a class, or a readonly struct handle to one. Speed (issue 3): with a class, the JIT
/// compiles one shared copy of this type for every inner lock and calls the inner lock through an interface
/// stub on every slow-path read; the production <see cref="BravoRwMutex"/> passes a non-generic struct handle
/// (<see cref="RwMutexHandle"/>), so its code is specialised and the inner lock's fast paths are inlined.
/// </typeparam>
public partial class BravoRwLock<TSync, TInner> : IRwLock, IDescribeState
    where TSync : struct, ISync
    where TInner : IRwLock
{
    /// <summary>The paper's inhibition multiplier N: bias stays off for N times the cost of the last revocation.</summary>
    private const long N = 9;

    /// <summary>Number of visible-reader slots: one per thread number (<see cref="BravoThreadLocals.Slots"/>).</summary>
    public const int TableSize = BravoThreadLocals.Slots;

    private readonly TInner inner;

    // Slots 1..TableSize, slot i owned by the thread numbered i; slot 0 and TableSize + 1 are padding, so no slot
    // shares a line (or an adjacent-line prefetch pair) with the array header or a neighbouring object.
    // 0 = free, otherwise the identity of its owner, reading through the table.
    private readonly VisibleReaderSlot[] visibleReaders = new VisibleReaderSlot[TableSize + 2];

    // RBias values. The paper's RBias is a boolean; the real backend has a second "off" value (see Revoke).
    private const int Biased = 1;               // readers may take the fast path
    private const int Inhibited = 0;            // off; a slow-path reader restores it once InhibitUntil has passed
    private const int InhibitedUntilTimer = -1; // off; the restore timer brings it back (real backend, frequent writes)

#pragma warning disable IDE1006 // the paper's names
    private int RBias = Biased;
    private long InhibitUntil;  // Nanotime before which no reader may re-enable the bias
#pragma warning restore IDE1006

    // How many times the write lock is held (more than once only over a recursive inner lock). Written only by the
    // writer, inside its write section; read by a bias-restoring reader, which holds the read lock, so either the
    // inner lock orders the two or the reader is the writer itself (write-then-read recursion). Plain field: no race.
    // On its own cache line: every write changes it, and readers load RBias from this object's line on every read.
    // Kept only when the inner lock may nest a read inside a write (writesMayNestReads): the line moves between the
    // writers' cores on every write, about 2 ns a write at two threads, which the Go-style inner locks need not pay.
    private PaddedInt32 writeHeldLine;
    private readonly bool writesMayNestReads;

    // Diagnostics only, not part of the algorithm: written by the revoking writer, which holds the inner write lock.
    private long revocations;

    public BravoRwLock(TInner inner)
    {
        if (inner is null)
        {
            throw new ArgumentNullException(nameof(inner));
        }
        this.inner = inner;
        writesMayNestReads = MayNestReadInWrite(inner);
    }

    /// <summary>
    /// Whether a thread holding <paramref name="inner"/>'s write lock might also take its read lock (write-then-read
    /// recursion). No for the Go-style locks (such a read deadlocks) and ReaderWriterLockSlim without recursion (it
    /// throws); any other lock is assumed to allow it.
    /// </summary>
    private static bool MayNestReadInWrite(TInner inner) => inner switch
    {
        RwMutexHandle or CounterNegationRwLock<TSync> or ReaderQueueRwLock<TSync> => false,
        RwlsAdapter<TSync> rwls => rwls.RecursionPolicy != LockRecursionPolicy.NoRecursion,
        _ => true,
    };

    /// <summary>The lock underneath the bias.</summary>
    public TInner Inner => inner;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterRead() => EnterReadSlot();

    /// <summary>
    /// Reader fast path (paper: Figure 1, lines 1-9). Inlined whole: the slow path is the inner lock's fast path.
    /// Returns the slot the read occupies, or 0 if it went through the inner lock (what <see cref="Read"/>'s scope keeps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EnterReadSlot()
    {
        if (TSync.Load(ref RBias) == Biased && TryEnterFast(out var slotIndex))
        {
            return slotIndex;
        }
        inner.EnterRead();
        return 0;
    }

    public bool TryEnterRead()
    {
        if (TSync.Load(ref RBias) == Biased && TryEnterFast(out _))
        {
            return true;
        }
        return inner.TryEnterRead();
    }

    /// <summary>The fast path's entry; on success <paramref name="slotIndex"/> is the slot this read occupies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryEnterFast(out int slotIndex)
    {
        var me = Identity();
        slotIndex = SlotOf(me);
        ref var slot = ref visibleReaders[slotIndex].Value;
        // Identity 0: this thread has no slot and reads through the inner lock. A set slot of our own: we already
        // read this lock through the table, so this nested read goes to the inner lock. Only its owner writes a
        // slot, so this is a read of our own last write: no race, no scheduling point.
        if (me == 0 || Volatile.Read(ref slot) != 0)
        {
            return false;
        }
        TSync.Store(ref slot, me, "visibleReaders[slot]");
        // Recheck after publishing: a writer clears RBias and then scans, so either it sees us in the table and
        // waits, or we see RBias cleared here and back out. The store-load fence this needs is the writer's
        // process-wide barrier (Revoke).
        if (TSync.Load(ref RBias) == Biased)
        {
            return true;
        }
        TSync.Store(ref slot, 0, "visibleReaders[slot]"); // raced with a revoking writer
        return false;
    }

    /// <summary>Paper: a slow-path reader holding the read lock restores the bias once the inhibition ran out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReenableBias()
    {
        // We hold the inner read lock, so no writer is revoking right now. Biased: nothing to do; InhibitedUntilTimer:
        // writes are frequent, and the timer restores the bias, so slow-path reads cost no more than the inner lock's.
        if (TSync.Load(ref RBias) != Inhibited)
        {
            return;
        }
        // Speed (issue 3, measured by scenarios/RwHarness.Benchmarks): the paper reads rdtsc here (a few ns);
        // RealSync.Nanotime is Stopwatch.GetTimestamp, about 40 ns on the 2-core benchmark machine, several
        // times the inner lock's whole read pair. Paid on every slow-path read, it made BRAVO 2-3x slower than
        // the counter-negation lock it wraps whenever writes keep the bias inhibited (2 threads, 99 % and
        // 90 % reads). On the real backend a thread therefore looks at the clock on every 64th slow-path read
        // only: the bias comes back at most 63 reads after the inhibition ran out, which the paper's
        // heuristic cannot tell apart. Controlled backends keep the check on every read, so the engine
        // explores exactly the paper's algorithm (and a thread-static count would depend on which OS thread
        // hosts a virtual thread, breaking replay); IsControlled is a JIT-time constant, so this costs nothing there.
        if (!TSync.IsControlled && (++BravoThreadLocals.SlowReads & (ClockSampling - 1)) != 0)
        {
            return;
        }
        var now = TSync.Nanotime();
        // Holding the read lock means no other thread writes, but over a recursive inner lock (ReaderWriterLockSlim
        // with SupportsRecursion) this thread may be the writer, reading inside its own write section: then the
        // bias must stay off, or fast-path readers would enter while the write lock is held.
        if ((!writesMayNestReads || writeHeldLine.Value == 0) && now >= TSync.Load(ref InhibitUntil))
        {
            SwitchBiasOn(now);
        }
    }

    /// <summary>Restores the bias at <paramref name="now"/>; the caller holds the inner read lock, so no writer is inside.</summary>
    private void SwitchBiasOn(long now)
    {
        if (!TSync.IsControlled)
        {
            Volatile.Write(ref biasOnSince, now); // for AdaptWindow: how long the bias then lasts
        }
        TSync.Store(ref RBias, Biased);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitRead()
    {
        var me = Identity();
        var slotIndex = SlotOf(me);
        // Our own slot, a plain read as in TryEnterFast. Identity 0 (no slot) maps to padding slot 0, which is always 0.
        ExitRead(me != 0 && Volatile.Read(ref visibleReaders[slotIndex].Value) == me ? slotIndex : 0);
    }

    /// <summary>Leaves a read that occupies <paramref name="slotIndex"/>, or went through the inner lock (0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExitRead(int slotIndex)
    {
        if (slotIndex != 0)
        {
            TSync.Store(ref visibleReaders[slotIndex].Value, 0, "visibleReaders[slot]"); // entered through the table
            return;
        }
        // A slow-path reader, still holding the inner read lock: the paper's point to restore the bias. Here at
        // exit rather than entry (either holds the read lock, so no writer is revoking): the identity just read
        // and the sampling counter are thread-statics side by side, so the thread's storage is looked up once.
        ReenableBias();
        inner.ExitRead();
    }

    /// <summary>Writer (paper: Figure 1, lines 14-23).</summary>
    public void EnterWrite()
    {
        inner.EnterWrite();
        if (TSync.Load(ref RBias) == Biased)
        {
            Revoke();
        }
        if (writesMayNestReads)
        {
            writeHeldLine.Value++;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Revoke()
    {
        // The paper times the scan; here the revocation's cost also includes ClearBias's process-wide barrier
        // (about 0.5 us on an idle machine, 10-15 us with every core busy in a VM: an interrupt per core), so a
        // writer that revokes often is throttled by the same N x cost rule.
        var start = TSync.Nanotime();
        var restoreByTimer = !TSync.IsControlled && AdaptWindow(start);
        ClearBias(restoreByTimer ? InhibitedUntilTimer : Inhibited);
        for (var i = 1; i <= TableSize; i++)
        {
            var spins = 0;
            while (TSync.Load(ref visibleReaders[i].Value, "visibleReaders[i]") != 0)
            {
                // A reader still in its slot is either about to leave (a read section is short) or was
                // preempted; after a few ~1 us spins, yield so a preempted reader can run (with more threads
                // than cores, spinning 64 times first cost every revocation tens of microseconds).
                if (spins++ < 4)
                {
                    TSync.SpinHint();
                }
                else
                {
                    TSync.Yield();
                }
            }
        }
        var now = TSync.Nanotime();
        var inhibit = (now - start) * N;
        if (!TSync.IsControlled)
        {
            inhibit = Math.Max(inhibit, inhibitWindowNs);
        }
        TSync.Store(ref InhibitUntil, now + inhibit);
        if (restoreByTimer)
        {
            ArmRestoreTimer(inhibit);
        }
    }

    /// <summary>
    /// Takes the inner write lock without waiting; if the bias is on, revokes it and succeeds only if
    /// the table is already empty (otherwise restores the bias and gives the inner lock back: a try
    /// never waits for readers).
    /// </summary>
    public bool TryEnterWrite()
    {
        if (!inner.TryEnterWrite())
        {
            return false;
        }
        if (TSync.Load(ref RBias) == Biased)
        {
            ClearBias(Inhibited);
            for (var i = 1; i <= TableSize; i++)
            {
                if (TSync.Load(ref visibleReaders[i].Value, "visibleReaders[i]") != 0)
                {
                    // Give the bias back before the inner lock: RBias off must mean "the table was
                    // drained by a writer", or the next writer would skip revocation and enter while
                    // this reader still holds.
                    TSync.Store(ref RBias, Biased);
                    inner.ExitWrite();
                    return false;
                }
            }
        }
        if (writesMayNestReads)
        {
            writeHeldLine.Value++;
        }
        return true;
    }

    public void ExitWrite()
    {
        if (!writesMayNestReads || writeHeldLine.Value == 0)
        {
            inner.ExitWrite(); // (when counting: misuse, the write lock is not held, and the inner lock throws)
            return;
        }
        writeHeldLine.Value--;
        try
        {
            inner.ExitWrite();
        }
        catch (SynchronizationLockException)
        {
            // A thread-bound inner lock (ReaderWriterLockSlim) refused a thread that does not hold it: the owner still does.
            writeHeldLine.Value++;
            throw;
        }
    }

    /// <summary>
    /// The writer's half of the Dekker handshake with TryEnterFast's store-then-load: after this, every reader
    /// either is visible in its slot or will see RBias off. A reader publishes with a plain store, which a CPU
    /// may hold in its store buffer past its load of RBias; the process-wide barrier drains every running
    /// thread's store buffer (membarrier or an IPI on Linux, FlushProcessWriteBuffers on Windows), about 0.5 us,
    /// paid once per revocation instead of one atomic per read. Controlled backends run sequentially
    /// consistent (the engine and Coyote interleave, they do not reorder), so the barrier is real-backend only.
    /// </summary>
    private void ClearBias(int off)
    {
        Volatile.Write(ref revocations, revocations + 1);
        TSync.Exchange(ref RBias, off);
        if (!TSync.IsControlled)
        {
            Interlocked.MemoryBarrierProcessWide();
        }
    }

    /// <summary>
    /// "RBias=1 InhibitUntil=0 visibleReaders=[1,2] | " (the slots, i.e. thread numbers, reading through the table) followed by
    /// the inner lock's state. RBias: 1 on, 0 off, -1 off until the restore timer (real backend only).
    /// </summary>
    public string DescribeState()
    {
        // Plain reads, not TSync: describing the state must not be a scheduling point.
        var sb = new StringBuilder();
        sb.Append("RBias=").Append(Volatile.Read(ref RBias));
        sb.Append(" InhibitUntil=").Append(Volatile.Read(ref InhibitUntil));
        sb.Append(" visibleReaders=[");
        var first = true;
        for (var i = 1; i <= TableSize; i++)
        {
            if (Volatile.Read(ref visibleReaders[i].Value) != 0)
            {
                sb.Append(first ? "" : ",").Append(i); // slot i belongs to the thread numbered i
                first = false;
            }
        }
        sb.Append(']');
        if (inner is IDescribeState d)
        {
            sb.Append(" | ").Append(d.DescribeState());
        }
        return sb.ToString();
    }

    /// <summary>Whether readers currently take the fast path (diagnostics and tests; not a scheduling point).</summary>
    public bool IsReadBiased => Volatile.Read(ref RBias) == Biased;

    /// <summary>How many times a writer has revoked the bias (diagnostics; not a scheduling point).</summary>
    public long Revocations => Volatile.Read(ref revocations);

    /// <summary>
    /// What a reader publishes in its slot; 0 if it has no slot. Real backend: <see cref="BravoThreadLocals.Identity"/>,
    /// a primitive thread-static (the runtime's thread-static base lookup and a load; the thread's ParkHandle, a GC
    /// thread-static, went through a slower runtime helper on every EnterRead and ExitRead and cost more than the
    /// fast path itself).
    /// Controlled backends: the virtual thread's number (1, 2, ...), distinct within an execution and the same
    /// in every replay; threads numbered above TableSize read through the inner lock.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Identity()
    {
        if (!TSync.IsControlled)
        {
            return BravoThreadLocals.Identity;
        }
        var id = TSync.CurrentThread.Id;
        return id is > 0 and <= TableSize ? id : 0;
    }

    /// <summary>The slot an identity owns, 1..TableSize, or 0 (padding) for the identity 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(long identity) => BravoThreadLocals.SlotOf(identity);
}
