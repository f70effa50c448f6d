namespace RwHarness.Locks;

/// <summary>
/// Real backend only: what each OS thread keeps for BRAVO, above all the visible-readers slot it owns. Primitive
/// thread-statics in a non-generic class, so reading one compiles to an inlined TLS load, which matters on a
/// fast path of a few nanoseconds.
/// </summary>
/// <remarks>
/// A slot number (1..<see cref="Slots"/>) belongs to one live thread at a time, the same number in every BRAVO
/// lock's table, so a reader can publish itself with a plain store (<see cref="BravoRwLock{TSync, TInner}"/>).
/// When a thread ends, its thread-statics become garbage and <see cref="SlotLease"/>'s finalizer gives the
/// number back. While all numbers are taken, further threads read through the inner lock.
/// </remarks>
internal static class BravoThreadLocals
{
    /// <summary>Slot numbers there are to hand out: the size of every visible-readers table.</summary>
    public const int Slots = 64;

    // identity = generation << SlotBits | slot: a recycled slot number comes back with a new generation, so a
    // thread never mistakes a slot left set by an earlier owner (one that ended while reading) for its own.
    private const int SlotBits = 8;

    private static readonly Lock Gate = new();
    private static readonly bool[] Taken = new bool[Slots + 1];
    private static int free = Slots;
    private static long generation;

    [ThreadStatic]
    private static long identity;

    [ThreadStatic]
    private static SlotLease? lease;

    /// <summary>This thread's count of BRAVO slow-path reads, for sampling the clock (BravoRwLock.ReenableBias).</summary>
    [ThreadStatic]
    public static int SlowReads;

    /// <summary>
    /// What this thread publishes in its slot: nonzero, distinct from every other thread's, ever. 0 while no slot
    /// number is free (the thread then reads through the inner lock and asks again on its next read).
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

    /// <summary>Slot numbers no live thread holds (tests).</summary>
    public static int Free => Volatile.Read(ref free);

    private static long Issue()
    {
        if (Volatile.Read(ref free) == 0)
        {
            return 0;
        }
        lock (Gate)
        {
            for (var s = 1; s <= Slots; s++)
            {
                if (!Taken[s])
                {
                    Taken[s] = true;
                    free--;
                    lease = new SlotLease(s);
                    return identity = (++generation << SlotBits) | (long)s;
                }
            }
        }
        return 0;
    }

    /// <summary>Gives a slot number back once its thread (the only root of the lease) has ended.</summary>
    private sealed class SlotLease(int slot)
    {
        ~SlotLease()
        {
            lock (Gate)
            {
                Taken[slot] = false;
                free++;
            }
        }
    }
}
