using System.Runtime.CompilerServices;

namespace RwHarness.Locks;

/// <summary>
/// Real backend only: what each OS thread keeps for BRAVO, above all the visible-readers slot it owns. Only
/// primitive thread-statics and constants, no static initializer (see <see cref="BravoSlotPool"/>), so the getters
/// inline and reading one costs the runtime's thread-static base lookup (on linux-x64 with .NET 10 a short helper
/// call, seen in the JIT's disassembly) plus a load, with no class-initialization check: it matters on a fast path
/// of a few nanoseconds. Fields read together share one lookup.
/// </summary>
/// <remarks>
/// A slot number (1..<see cref="Slots"/>) belongs to one live thread at a time, the same number in every BRAVO
/// lock's table, so a reader can publish itself with a plain store (<see cref="BravoRwLock{TSync, TInner}"/>).
/// A number comes back when its thread has ended: at once, when a thread asking for a number finds one whose
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
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var id = identity;
            return id != 0 ? id : Issue();
        }
    }

    /// <summary>The slot an identity owns, 1..<see cref="Slots"/>; 0 for the identity 0 (no slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SlotOf(long identity) => (int)(identity & ((1 << SlotBits) - 1));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Issue()
    {
        if (retryCountdown > 0)
        {
            retryCountdown--;
            return 0;
        }
        if (!BravoSlotPool.TryTake(Thread.CurrentThread, out var slot, out var slotGeneration))
        {
            retryCountdown = RetryAfter;
            return 0;
        }
        lease = new SlotLease(slot, slotGeneration);
        return identity = (slotGeneration << SlotBits) | (long)slot;
    }

    /// <summary>
    /// Gives a slot number back once its thread (the only root of the lease) has ended and the GC finalizes the
    /// lease, unless the number was already handed on to another thread.
    /// </summary>
    private sealed class SlotLease(int slot, long slotGeneration)
    {
        ~SlotLease() => BravoSlotPool.Return(slot, slotGeneration);
    }
}
