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

    private const int TableBits = 6;

    /// <summary>Number of visible-reader slots.</summary>
    public const int TableSize = 1 << TableBits;

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
        var me = Identity(TSync.CurrentThread);
        ref var slot = ref visibleReaders[SlotOf(me)].Value;
        if (TSync.CompareExchange(ref slot, me, 0, "visibleReaders[slot]") == 0)
        {
            // MUTANT: no recheck of RBias after publishing: a writer may have revoked and scanned already.
            return true;
        }
        return false;
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
        var me = Identity(TSync.CurrentThread);
        ref var slot = ref visibleReaders[SlotOf(me)].Value;
        if (TSync.Load(ref slot, "visibleReaders[slot]") == me)
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
        // Exchange, not Store: a full fence between clearing RBias and scanning the table (Dekker with
        // the reader's CompareExchange-then-Load).
        TSync.Exchange(ref RBias, 0);
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
            TSync.Exchange(ref RBias, 0);
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
                sb.Append(first ? "" : ",").Append(i - 1);
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

    /// <summary>The nonzero identity a reader publishes in its slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Identity(ParkHandle thread) => TSync.IsControlled ? StableIdentity(thread.Name) : thread.Id;

    /// <summary>FNV-1a over the thread's name: the same in every run and every process.</summary>
    private static long StableIdentity(string name)
    {
        var h = unchecked((long)14695981039346656037UL);
        foreach (var c in name)
        {
            h = unchecked((h ^ c) * 1099511628211L);
        }
        return h == 0 ? 1 : h;
    }

    /// <summary>Fibonacci hashing of the identity onto slots 1..TableSize.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(long identity) => 1 + (int)(unchecked((ulong)identity * 0x9E3779B97F4A7C15UL) >> (64 - TableBits));
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
