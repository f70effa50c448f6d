using RwHarness.Sync;

namespace RwHarness.Locks.Tests;

/// <summary>
/// RealSync with a test's own clock (and spin policy): everything else is the real backend, so a lock runs
/// on real threads while the test decides what time it is.
/// </summary>
internal readonly struct ClockedRealSync<TClock> : ISync
    where TClock : struct, ITestClock
{
    public static bool IsControlled => false;

    public static int Load(ref int location, string? name = null) => RealSync.Load(ref location);
    public static uint Load(ref uint location, string? name = null) => RealSync.Load(ref location);
    public static long Load(ref long location, string? name = null) => RealSync.Load(ref location);

    public static void Store(ref int location, int value, string? name = null) => RealSync.Store(ref location, value);
    public static void Store(ref uint location, uint value, string? name = null) => RealSync.Store(ref location, value);
    public static void Store(ref long location, long value, string? name = null) => RealSync.Store(ref location, value);

    public static int Add(ref int location, int delta, string? name = null) => RealSync.Add(ref location, delta);
    public static uint Add(ref uint location, uint delta, string? name = null) => RealSync.Add(ref location, delta);
    public static long Add(ref long location, long delta, string? name = null) => RealSync.Add(ref location, delta);

    public static int Exchange(ref int location, int value, string? name = null) => RealSync.Exchange(ref location, value);
    public static uint Exchange(ref uint location, uint value, string? name = null) => RealSync.Exchange(ref location, value);
    public static long Exchange(ref long location, long value, string? name = null) => RealSync.Exchange(ref location, value);

    public static int CompareExchange(ref int location, int value, int comparand, string? name = null) => RealSync.CompareExchange(ref location, value, comparand);
    public static uint CompareExchange(ref uint location, uint value, uint comparand, string? name = null) => RealSync.CompareExchange(ref location, value, comparand);
    public static long CompareExchange(ref long location, long value, long comparand, string? name = null) => RealSync.CompareExchange(ref location, value, comparand);

    public static void Semacquire(ref Sema sema, bool lifo = false, string? name = null) => RealSync.Semacquire(ref sema, lifo);
    public static void Semrelease(ref Sema sema, bool handoff = false, string? name = null) => RealSync.Semrelease(ref sema, handoff);

    public static ParkHandle CurrentThread => RealSync.CurrentThread;
    public static void Park(string? name = null) => RealSync.Park();
    public static void Unpark(ParkHandle thread, string? name = null) => RealSync.Unpark(thread);

    public static void SpinHint() => RealSync.SpinHint();
    public static void Yield() => RealSync.Yield();
    public static bool CanSpin(int iter) => TClock.CanSpin(iter);

    public static long Nanotime() => TClock.Nanotime();

    public static void Atomic<TState>(TState state, Action<TState> operation, string? name = null) => operation(state);
    public static void WaitExternal<TState>(object resource, TState state, Func<TState, bool> attempt, string? name = null) =>
        RealSync.WaitExternal(resource, state, attempt);
    public static void NotifyExternal(object resource) => RealSync.NotifyExternal(resource);
}

/// <summary>The clock and spin policy <see cref="ClockedRealSync{TClock}"/> uses.</summary>
internal interface ITestClock
{
    static abstract long Nanotime();

    static abstract bool CanSpin(int iter);
}

/// <summary>
/// A clock that jumps 2 ms at every reading, and no spinning: every waiter that sleeps once counts as
/// starving, so GoMutex's starvation mode (hand-off, LIFO requeue, mode exit) runs on real threads without
/// any test waiting for real time.
/// </summary>
internal readonly struct SkewedClock : ITestClock
{
    private static long clock;

    public static long Nanotime() => Interlocked.Add(ref clock, 2_000_000);

    public static bool CanSpin(int iter) => false;
}

/// <summary>
/// A clock the test sets (<see cref="Now"/>), with RealSync's spinning: BRAVO's real-backend inhibition
/// policy is checked at exact times. Single-threaded tests only.
/// </summary>
internal readonly struct ManualClock : ITestClock
{
    public static long Now;

    public static long Nanotime() => Now;

    public static bool CanSpin(int iter) => RealSync.CanSpin(iter);
}
