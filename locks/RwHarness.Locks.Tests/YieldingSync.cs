using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>
/// RealSync that sometimes gives up the processor before a shared-memory operation, so real threads
/// interleave inside the lock code far more often than they would on their own. Not a controlled
/// backend (no scheduling decisions, no replay): a cheap shake for the smoke tests, and a second
/// backend to prove the descriptors' generic factories.
/// </summary>
internal readonly struct YieldingSync : ISync
{
    [ThreadStatic]
    private static uint rng;

    public static bool IsControlled => false;

    private static void Maybe()
    {
        var x = rng;
        if (x == 0)
        {
            x = (uint)Environment.CurrentManagedThreadId * 2654435761u | 1;
        }
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        rng = x;
        switch (x & 15)
        {
            case 0:
                Thread.Yield();
                break;
            case 1:
                Thread.SpinWait(20);
                break;
        }
    }

    public static int Load(ref int location, string? name = null) { Maybe(); return RealSync.Load(ref location); }
    public static uint Load(ref uint location, string? name = null) { Maybe(); return RealSync.Load(ref location); }
    public static long Load(ref long location, string? name = null) { Maybe(); return RealSync.Load(ref location); }

    public static void Store(ref int location, int value, string? name = null) { Maybe(); RealSync.Store(ref location, value); }
    public static void Store(ref uint location, uint value, string? name = null) { Maybe(); RealSync.Store(ref location, value); }
    public static void Store(ref long location, long value, string? name = null) { Maybe(); RealSync.Store(ref location, value); }

    public static int Add(ref int location, int delta, string? name = null) { Maybe(); return RealSync.Add(ref location, delta); }
    public static uint Add(ref uint location, uint delta, string? name = null) { Maybe(); return RealSync.Add(ref location, delta); }
    public static long Add(ref long location, long delta, string? name = null) { Maybe(); return RealSync.Add(ref location, delta); }

    public static int Exchange(ref int location, int value, string? name = null) { Maybe(); return RealSync.Exchange(ref location, value); }
    public static uint Exchange(ref uint location, uint value, string? name = null) { Maybe(); return RealSync.Exchange(ref location, value); }
    public static long Exchange(ref long location, long value, string? name = null) { Maybe(); return RealSync.Exchange(ref location, value); }

    public static int CompareExchange(ref int location, int value, int comparand, string? name = null) { Maybe(); return RealSync.CompareExchange(ref location, value, comparand); }
    public static uint CompareExchange(ref uint location, uint value, uint comparand, string? name = null) { Maybe(); return RealSync.CompareExchange(ref location, value, comparand); }
    public static long CompareExchange(ref long location, long value, long comparand, string? name = null) { Maybe(); return RealSync.CompareExchange(ref location, value, comparand); }

    public static void Semacquire(ref Sema sema, bool lifo = false, string? name = null) { Maybe(); RealSync.Semacquire(ref sema, lifo); }
    public static void Semrelease(ref Sema sema, bool handoff = false, string? name = null) { Maybe(); RealSync.Semrelease(ref sema, handoff); }

    public static ParkHandle CurrentThread => RealSync.CurrentThread;
    public static void Park(string? name = null) { Maybe(); RealSync.Park(); }
    public static void Unpark(ParkHandle thread, string? name = null) { Maybe(); RealSync.Unpark(thread); }

    public static void SpinHint() => RealSync.SpinHint();
    public static void Yield() => RealSync.Yield();
    public static bool CanSpin(int iter) => RealSync.CanSpin(iter);
    public static long Nanotime() => RealSync.Nanotime();

    public static void Atomic<TState>(TState state, Action<TState> operation, string? name = null) => operation(state);
    public static void WaitExternal<TState>(object resource, TState state, Func<TState, bool> attempt, string? name = null) =>
        RealSync.WaitExternal(resource, state, attempt);
    public static void NotifyExternal(object resource) => RealSync.NotifyExternal(resource);
}
