using System.Runtime.CompilerServices;
using System.Text;
using RwHarness.Locks;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Mutants;

/// <summary>
/// BRAVO with one bug: a reader that published itself in the table does not recheck RBias (the Dekker handshake).
/// Otherwise a verbatim copy of <c>locks/RwHarness.Locks/BravoRwLock.cs</c>; the one change is marked with a MUTANT comment.
/// </summary>
public sealed class BravoReaderNoRecheck<TSync, TInner> : IRwLock, IDescribeState
    where TSync : struct, ISync
    where TInner : class, IRwLock
{
    /// <summary>The paper's inhibition multiplier N: bias stays off for N times the cost of the last revocation.</summary>
    private const long N = 9;

    /// <summary>Number of visible-reader slots: one per thread number.</summary>
    public const int TableSize = BravoThreadLocals.Slots;

    private readonly TInner inner;

    // Slots 1..TableSize; slot 0 and TableSize + 1 are padding, so no slot shares a line with the
    // array header or a neighbouring object. 0 = free, otherwise the identity of the reader in it.
    private readonly PaddedInt64[] visibleReaders = new PaddedInt64[TableSize + 2];

#pragma warning disable IDE1006 // the paper's names
    private int RBias = 1;      // 1 while readers may take the fast path
    private long InhibitUntil;  // Nanotime before which no reader may re-enable the bias
#pragma warning restore IDE1006

    public BravoReaderNoRecheck(TInner inner)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
    }

    /// <summary>The lock underneath the bias.</summary>
    public TInner Inner => inner;

    /// <summary>Reader fast path (paper: Figure 1, lines 1-9).</summary>
    public void EnterRead()
    {
        if (TSync.Load(ref RBias) != 0 && TryEnterFast())
        {
            return;
        }
        inner.EnterRead();
        ReenableBias();
    }

    public bool TryEnterRead()
    {
        if (TSync.Load(ref RBias) != 0 && TryEnterFast())
        {
            return true;
        }
        if (!inner.TryEnterRead())
        {
            return false;
        }
        ReenableBias();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryEnterFast()
    {
        var me = Identity();
        ref var slot = ref visibleReaders[SlotOf(me)].Value;
        // Only its owner writes a slot: a plain read of our own last write (a set slot = a nested read).
        if (me == 0 || Volatile.Read(ref slot) != 0)
        {
            return false;
        }
        TSync.Store(ref slot, me, "visibleReaders[slot]");
        // MUTANT: no recheck of RBias after publishing: a writer may have revoked and scanned already.
        return true;
    }

    /// <summary>Paper: a slow-path reader holding the read lock restores the bias once the inhibition ran out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReenableBias()
    {
        // We hold the inner read lock, so no writer is revoking right now.
        if (TSync.Load(ref RBias) == 0 && TSync.Nanotime() >= TSync.Load(ref InhibitUntil))
        {
            TSync.Store(ref RBias, 1);
        }
    }

    public void ExitRead()
    {
        var me = Identity();
        ref var slot = ref visibleReaders[SlotOf(me)].Value;
        if (me != 0 && Volatile.Read(ref slot) == me)
        {
            // We entered through the table.
            TSync.Store(ref slot, 0, "visibleReaders[slot]");
            return;
        }
        inner.ExitRead();
    }

    /// <summary>Writer (paper: Figure 1, lines 14-23).</summary>
    public void EnterWrite()
    {
        inner.EnterWrite();
        if (TSync.Load(ref RBias) != 0)
        {
            Revoke();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Revoke()
    {
        ClearBias();
        var start = TSync.Nanotime();
        for (var i = 1; i <= TableSize; i++)
        {
            var spins = 0;
            while (TSync.Load(ref visibleReaders[i].Value, "visibleReaders[i]") != 0)
            {
                if (spins++ < 64)
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
        TSync.Store(ref InhibitUntil, now + ((now - start) * N));
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
        if (TSync.Load(ref RBias) != 0)
        {
            ClearBias();
            for (var i = 1; i <= TableSize; i++)
            {
                if (TSync.Load(ref visibleReaders[i].Value, "visibleReaders[i]") != 0)
                {
                    // Give the bias back before the inner lock: RBias = 0 must mean "the table was
                    // drained by a writer", or the next writer would skip revocation and enter while
                    // this reader still holds.
                    TSync.Store(ref RBias, 1);
                    inner.ExitWrite();
                    return false;
                }
            }
        }
        return true;
    }

    public void ExitWrite() => inner.ExitWrite();

    /// <summary>Clears the bias; on the real backend a process-wide barrier orders it before readers' plain stores.</summary>
    private void ClearBias()
    {
        TSync.Exchange(ref RBias, 0);
        if (!TSync.IsControlled)
        {
            Interlocked.MemoryBarrierProcessWide();
        }
    }

    /// <summary>"RBias=1 InhibitUntil=0 visibleReaders=[5,17] | " followed by the inner lock's state.</summary>
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
    public bool IsReadBiased => Volatile.Read(ref RBias) != 0;

    /// <summary>What a reader publishes in its slot (0: no slot): the real thread's slot lease, or the virtual thread's number.</summary>
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(long identity) => BravoThreadLocals.SlotOf(identity);
}

/// <summary>The descriptor of <c>mutant-bravo-reader-no-recheck</c>: the traits and messages of <c>bravo</c>, the bug in <see cref="Description"/>.</summary>
public sealed class BravoReaderNoRecheckDescriptor : MutantDescriptor
{
    public override string Name => "mutant-bravo-reader-no-recheck";

    public override string Original => "bravo";

    public override string Description =>
        "BRAVO's fast-path reader does not recheck RBias after publishing itself in its slot: a writer that revoked the bias and scanned the table just before is already in";

    public override LockTraits Traits => LockTraits.SharedReaders | LockTraits.ThrowsOnMisuse | LockTraits.ThreadAffine;

    public override string? ReadMisuseMessage => "sync: RUnlock of unlocked RWMutex";

    public override string? WriteMisuseMessage => "sync: Unlock of unlocked RWMutex";

    public override IRwLock Create<TSync>() => new BravoReaderNoRecheck<TSync, CounterNegationRwLock<TSync>>(new CounterNegationRwLock<TSync>());
}
