namespace RwHarness.Locks;

/// <summary>
/// Real backend only: who holds which BRAVO slot number (1..<see cref="BravoThreadLocals.Slots"/>). Kept apart
/// from <see cref="BravoThreadLocals"/> so that class has no static initializer: a class with one gets a static
/// constructor, and the JIT then reaches its thread-statics through a helper call and stops inlining its
/// getters, which cost BRAVO's read paths two calls per operation (measured: the disassembly showed
/// <c>get_Identity</c> called from both EnterRead and ExitRead).
/// </summary>
internal static class BravoSlotPool
{
    private static readonly Lock Gate = new();
    private static readonly Thread?[] Owner = new Thread?[BravoThreadLocals.Slots + 1]; // null: never handed out, or given back
    private static readonly long[] OwnerGeneration = new long[BravoThreadLocals.Slots + 1];
    private static long generation;

    /// <summary>Slot numbers a thread asking now could get: never handed out, given back, or held by an ended thread.</summary>
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

    /// <summary>
    /// Hands <paramref name="me"/> a number nobody holds, else one whose owner has ended, with a new generation;
    /// false if every owner is alive.
    /// </summary>
    public static bool TryTake(Thread me, out int slot, out long slotGeneration)
    {
        lock (Gate)
        {
            slot = FreeSlot();
            if (slot == 0)
            {
                slotGeneration = 0;
                return false;
            }
            slotGeneration = ++generation;
            Owner[slot] = me;
            OwnerGeneration[slot] = slotGeneration;
            return true;
        }
    }

    /// <summary>Gives <paramref name="slot"/> back, unless it was handed on since (its generation then differs).</summary>
    public static void Return(int slot, long slotGeneration)
    {
        lock (Gate)
        {
            if (OwnerGeneration[slot] == slotGeneration)
            {
                Owner[slot] = null;
            }
        }
    }

    /// <summary>A number nobody holds, else one whose owner has ended; 0 if every owner is alive. Under Gate.</summary>
    private static int FreeSlot()
    {
        for (var s = 1; s < Owner.Length; s++)
        {
            if (Owner[s] is null)
            {
                return s;
            }
        }
        for (var s = 1; s < Owner.Length; s++)
        {
            if (!Owner[s]!.IsAlive)
            {
                return s;
            }
        }
        return 0;
    }
}
