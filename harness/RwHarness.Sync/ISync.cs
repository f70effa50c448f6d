using System.Runtime.CompilerServices;

namespace RwHarness.Sync;

/// <summary>
/// The one seam between lock code and the machine. Lock code never calls Interlocked, Monitor,
/// SemaphoreSlim or Thread directly; it calls these static members on its type argument
/// (<c>TSync.Add(ref readerCount, 1)</c>), so the JIT specialises each lock per backend:
/// <see cref="RealSync"/> maps every call onto the hardware primitive at no cost, while a
/// controlled backend (the native engine, Coyote) turns every call into a scheduling point.
/// </summary>
/// <remarks>
/// The trailing <c>name</c> parameters are filled in by the compiler with the argument's source text
/// (for example <c>"rw.readerCount"</c>); controlled backends print them in traces, RealSync ignores them.
/// Semantics follow Go's sync/atomic and runtime: Add returns the new value, CompareExchange and
/// Exchange return the old one (as Interlocked does).
/// </remarks>
public interface ISync
{
    /// <summary>True for backends that schedule virtual threads. A JIT-time constant per backend.</summary>
    static abstract bool IsControlled { get; }

    static abstract int Load(ref int location, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract uint Load(ref uint location, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract long Load(ref long location, [CallerArgumentExpression(nameof(location))] string? name = null);

    static abstract void Store(ref int location, int value, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract void Store(ref uint location, uint value, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract void Store(ref long location, long value, [CallerArgumentExpression(nameof(location))] string? name = null);

    /// <summary>Atomically adds and returns the new value (Go's atomic.AddInt32, Interlocked.Add).</summary>
    static abstract int Add(ref int location, int delta, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract uint Add(ref uint location, uint delta, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract long Add(ref long location, long delta, [CallerArgumentExpression(nameof(location))] string? name = null);

    /// <summary>Atomically stores and returns the old value.</summary>
    static abstract int Exchange(ref int location, int value, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract uint Exchange(ref uint location, uint value, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract long Exchange(ref long location, long value, [CallerArgumentExpression(nameof(location))] string? name = null);

    /// <summary>Stores <paramref name="value"/> if the location equals <paramref name="comparand"/>; returns the old value.</summary>
    static abstract int CompareExchange(ref int location, int value, int comparand, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract uint CompareExchange(ref uint location, uint value, uint comparand, [CallerArgumentExpression(nameof(location))] string? name = null);
    static abstract long CompareExchange(ref long location, long value, long comparand, [CallerArgumentExpression(nameof(location))] string? name = null);

    /// <summary>
    /// Go's runtime_Semacquire: waits until the count is positive, then decrements it.
    /// Waiters queue FIFO; <paramref name="lifo"/> puts the caller at the head (sync.Mutex does this
    /// for a waiter that has waited before).
    /// </summary>
    static abstract void Semacquire(ref Sema sema, bool lifo = false, [CallerArgumentExpression(nameof(sema))] string? name = null);

    /// <summary>
    /// Go's runtime_Semrelease: increments the count and wakes the first waiter. With
    /// <paramref name="handoff"/> the count goes straight to that waiter, so no newcomer can barge in.
    /// </summary>
    static abstract void Semrelease(ref Sema sema, bool handoff = false, [CallerArgumentExpression(nameof(sema))] string? name = null);

    /// <summary>The calling thread's handle (Go: getg().m), used with <see cref="Park"/> and <see cref="Unpark"/>.</summary>
    static abstract ParkHandle CurrentThread { get; }

    /// <summary>Go's notesleep + noteclear on the calling thread's note: returns once it has been unparked.</summary>
    static abstract void Park([CallerMemberName] string? name = null);

    /// <summary>Go's notewakeup: wakes <paramref name="thread"/>, or lets its next Park return at once.</summary>
    static abstract void Unpark(ParkHandle thread, [CallerArgumentExpression(nameof(thread))] string? name = null);

    /// <summary>A spin-loop hint (Go's procyield/osyield). Controlled backends let another thread run.</summary>
    static abstract void SpinHint();

    /// <summary>Gives up the processor (Go's osyield). Controlled backends let another thread run.</summary>
    static abstract void Yield();

    /// <summary>Go's runtime_canSpin: may a spinning waiter spin once more (iteration <paramref name="iter"/>)?</summary>
    static abstract bool CanSpin(int iter);

    /// <summary>Monotonic nanoseconds (Go's runtime_nanotime). Controlled backends return a logical clock.</summary>
    static abstract long Nanotime();

    /// <summary>
    /// Runs an operation the backend cannot see into (for example one ReaderWriterLockSlim call) as one
    /// atomic step. RealSync just calls it.
    /// </summary>
    static abstract void Atomic<TState>(TState state, Action<TState> operation, [CallerArgumentExpression(nameof(operation))] string? name = null);

    /// <summary>
    /// Blocks until <paramref name="attempt"/> succeeds. Controlled backends call it as one atomic step and,
    /// when it fails, disable the virtual thread (never the OS thread) until some thread calls
    /// <see cref="NotifyExternal"/> on the same <paramref name="resource"/>. RealSync spins then yields;
    /// callers that own a blocking primitive use it directly when <see cref="IsControlled"/> is false.
    /// </summary>
    static abstract void WaitExternal<TState>(object resource, TState state, Func<TState, bool> attempt, [CallerArgumentExpression(nameof(attempt))] string? name = null);

    /// <summary>Wakes every thread waiting in <see cref="WaitExternal"/> on <paramref name="resource"/> to retry.</summary>
    static abstract void NotifyExternal(object resource);
}
