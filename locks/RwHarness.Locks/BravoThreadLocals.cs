namespace RwHarness.Locks;

/// <summary>
/// Real backend only: what each OS thread keeps for BRAVO. Primitive thread-statics in a non-generic class,
/// so reading one compiles to an inlined TLS load, which matters on a fast path of a few nanoseconds.
/// </summary>
internal static class BravoThreadLocals
{
    private static long lastIssued;

    [ThreadStatic]
    private static long identity;

    /// <summary>This thread's count of BRAVO slow-path reads, for sampling the clock (BravoRwLock.ReenableBias).</summary>
    [ThreadStatic]
    public static int SlowReads;

    /// <summary>
    /// The distinct nonzero number this thread publishes in a visible-readers slot, issued on first use
    /// (sequential, so Fibonacci hashing spreads them over the table).
    /// </summary>
    public static long Identity
    {
        get
        {
            var id = identity;
            return id != 0 ? id : Issue();
        }
    }

    private static long Issue() => identity = Interlocked.Increment(ref lastIssued);
}
