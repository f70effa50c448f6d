namespace RwHarness.Locks;

/// <summary>
/// Real backend only: what each OS thread keeps for BRAVO, above all the visible-readers slot it owns. Primitive
/// thread-statics in a non-generic class, so reading one compiles to an inlined TLS load, which matters on a
/// fast path of a few nanoseconds.
/// </summary>
/// <remarks>
/// A slot number (1..<see cref="Slots"/>) belongs to one live thread at a time, the same number in every BRAVO
/// lock's table, so a reader can publish itself with a plain store (<see cref="BravoRwLock{TSync, TInner}"/>).
/// A number comes back when its thread has ended: at once, when a thread asks for a number and finds one whose
/// owner is no longer alive (threads come and go without a GC: a process that started 100 short-lived threads
/// between two collections would otherwise run out), or when the GC finalizes the ended thread's
/// <see cref="SlotLease"/>. While all 64 are held by live threads, further threads read through the inner lock
/// and ask again every <see cref="RetryAfter"/> reads.
/// </remarks>
internal static class BravoThreadLocals
{
    /// <summary>Slot numbers there are to hand out: the size of every visible-readers table.</summary>
    public const int Slots = 64;

    /// <summary>Reads a thread without a slot makes through the inner lock before it asks for a number again.</summary>
    public const int RetryAfter = 4096;

    // identity = generation << SlotBits | slot: a number handed on comes with a new generation, so a thread never
    // mistakes a slot left set by an earlier owner (one that ended while reading) for its own.
    private const int SlotBits = 8;

    private static readonly Lock Gate = new();
    private static readonly Thread?[] Owner = new Thread?[Slots + 1];     // null: never handed out, or given back
    private static readonly long[] OwnerGeneration = new long[Slots + 1];
    private static long generation;

    [ThreadStatic]
    private static long identity;

    [ThreadStatic]
    private static SlotLease? lease;

    [ThreadStatic]
    private static int retryCountdown;

    /// <summary>This thread's count of BRAVO slow-path reads, for sampling the clock (BravoRwLock.ReenableBias).</summary>
    [ThreadStatic]
    public static int SlowReads;

    /// <summary>
    /// What this thread publishes in its slot: nonzero, distinct from every other thread's, ever. 0 while every
    /// number is held by a live thread (the thread then reads through the inner lock).
    /// </summary>
    public static long Identity
    {
        get
        {
            var id = identity;
            return id != 0 ? id : Issue();
        }
    }

    /// <summary>The slot an identity owns, 1..<see cref="Slots"/>; 0 for the identity 0 (no slot).</summary>
    public static int SlotOf(long identity) => (int)(identity & ((1 << SlotBits) - 1));

    /// <summary>Slot numbers a thread asking now could get: never handed out, given back, or held by an ended thread (tests).</summary>
    public static int Free
    {
        get
        {
            lock (Gate)
            {
                return Owner.Skip(1).Count(o => o is not { IsAlive: true });
            }
        }
    }

    private static long Issue()
    {
        if (retryCountdown > 0)
        {
            retryCountdown--;
            return 0;
        }
        var me = Thread.CurrentThread;
        lock (Gate)
        {
            var s = FreeSlot();
            if (s != 0)
            {
                var g = ++generation;
                Owner[s] = me;
                OwnerGeneration[s] = g;
                lease = new SlotLease(s, g);
                return identity = (g << SlotBits) | (long)s;
            }
        }
        retryCountdown = RetryAfter;
        return 0;
    }

    /// <summary>A number nobody holds, else one whose owner has ended; 0 if every owner is alive. Under Gate.</summary>
    private static int FreeSlot()
    {
        for (var s = 1; s <= Slots; s++)
        {
            if (Owner[s] is null)
            {
                return s;
            }
        }
        for (var s = 1; s <= Slots; s++)
        {
            if (!Owner[s]!.IsAlive)
            {
                return s;
            }
        }
        return 0;
    }

    /// <summary>
    /// Gives a slot number back once its thread (the only root of the lease) has ended and the GC finalizes the
    /// lease, unless the number was already handed on to another thread (its generation then differs).
    /// </summary>
    private sealed class SlotLease(int slot, long leaseGeneration)
    {
        ~SlotLease()
        {
            lock (Gate)
            {
                if (OwnerGeneration[slot] == leaseGeneration)
                {
                    Owner[slot] = null;
                }
            }
        }
    }
}
